// Leak reports: shape check, one lookup per well-formed string, one write for all matches.
#include "service/leak_report.hpp"

#include <spdlog/spdlog.h>

#include "core/error.hpp"
#include "core/token_format.hpp"
#include "crypto/sha256.hpp"
#include "service/audit.hpp"
#include "store/tokens.hpp"

namespace tokend::service {

namespace {
// SPEC §12 audit event token.revoked with via "leak_report" and the reported value's
// tokenSha256; it runs inside the revoking transaction, so a revocation and its event commit or
// roll back together. The reporter is anonymous: only its address is known.
void audit_leak_revocation(store::Connection& c, const core::AccessToken& token,
                           const std::string& sha256, const core::Origin& origin,
                           const std::string& now) {
    auto event =
        audit::make("token.revoked", audit::anonymous_actor(), origin, token.account_id, now);
    audit::about_token(event, token);
    event.details = {{"via", "leak_report"}, {"tokenSha256", sha256}};
    audit::record(c, event);
}
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
                                 const core::Origin& origin) {
    const std::string& client_address = origin.ip;
    std::vector<core::AccessToken> matches;
    std::vector<std::string> hashes; // SHA-256 of each match's reported value, same order
    for (const auto& credential : credentials) {
        if (!core::is_well_formed_token(credential)) {
            continue;
        }
        auto digest = m_hasher.hash(credential);
        auto match = m_store.read(
            [&digest](store::Connection& c) { return store::tokens::by_key_hash(c, digest); });
        if (match && !match->token.revoked_at) {
            matches.push_back(std::move(match->token));
            hashes.push_back(crypto::sha256_base64(credential));
        }
    }
    if (matches.empty()) {
        return;
    }
    std::string now = core::format_timestamp(m_clock());
    auto revoked = m_store.write([&](store::Connection& c) {
        std::vector<const core::AccessToken*> done;
        for (std::size_t i = 0; i < matches.size(); ++i) {
            const auto& token = matches[i];
            // false when the same token was reported twice in this body, or revoked meanwhile.
            if (store::tokens::revoke(c, token.id, now)) {
                audit_leak_revocation(c, token, hashes[i], origin, now);
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
