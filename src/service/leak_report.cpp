// Leak reports: shape check, one lookup per well-formed string, one write for all matches.
#include "service/leak_report.hpp"

#include <spdlog/spdlog.h>

#include "core/error.hpp"
#include "core/token_format.hpp"
#include "store/tokens.hpp"

namespace tokend::service {

namespace {
// SPEC §12 audit event token.revoked with via "leak_report" (and the reported key's tokenSha256,
// the reporter's address). The audit work fills this in; it runs inside the revoking
// transaction, so a revocation and its event commit or roll back together.
void audit_leak_revocation(store::Connection&, const core::AccessToken&,
                           const std::string& /*client_address*/) {}
} // namespace

LeakReport::LeakReport(store::Store& store, const crypto::TokenHasher& hasher, core::Clock clock,
                       LeakReportLimits limits)
    : m_store(store), m_hasher(hasher), m_clock(std::move(clock)),
      m_reports(limits.burst, limits.refill_per_second) {}

void LeakReport::admit(const std::string& client_address) {
    if (int retry_after = m_reports.record_failure(client_address); retry_after > 0) {
        throw core::Error(core::ErrorCode::RateLimited,
                          "Too many credential reports from this address; retry later.",
                          retry_after);
    }
}

void LeakReport::revoke_reported(const std::vector<std::string>& credentials,
                                 const std::string& client_address) {
    std::vector<core::AccessToken> matches;
    for (const auto& credential : credentials) {
        if (!core::is_well_formed_token(credential)) {
            continue;
        }
        auto digest = m_hasher.hash(credential);
        auto match = m_store.read(
            [&digest](store::Connection& c) { return store::tokens::by_key_hash(c, digest); });
        if (match && !match->token.revoked_at) {
            matches.push_back(std::move(match->token));
        }
    }
    if (matches.empty()) {
        return;
    }
    std::string now = core::format_timestamp(m_clock());
    auto revoked = m_store.write([&](store::Connection& c) {
        std::vector<const core::AccessToken*> done;
        for (const auto& token : matches) {
            // false when the same token was reported twice in this body, or revoked meanwhile.
            if (store::tokens::revoke(c, token.id, now)) {
                audit_leak_revocation(c, token, client_address);
                done.push_back(&token);
            }
        }
        return done;
    });
    // Logged once the revocation is durable, so the log never reports one that rolled back.
    for (const auto* token : revoked) {
        spdlog::warn("token {} ({}) revoked: its key was reported leaked through "
                     "POST /api/v1/credentials/revoke from {}",
                     token->id, token->display_key, client_address);
    }
}

} // namespace tokend::service
