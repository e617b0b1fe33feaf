// Bearer authentication and the failed-attempt limiter.
#include "service/authenticator.hpp"

#include "core/bearer.hpp"
#include "core/error.hpp"
#include "core/expiry.hpp"
#include "core/rate_limit_exceeded.hpp"
#include "core/token_format.hpp"
#include "metrics/registry.hpp"
#include "store/tokens.hpp"

namespace tokend::service {

Authenticator::Authenticator(store::Store& store, const crypto::TokenHasher& hasher,
                             UsageRecorder& usage, FailedAuthLimits limits, core::Clock clock)
    : m_store(store), m_hasher(hasher), m_usage(usage),
      m_failures(limits.burst, limits.refill_per_second), m_clock(clock), m_policy(clock),
      m_use_audit(store, clock) {}

core::Caller Authenticator::authenticate(std::string_view authorization,
                                         const core::Origin& origin) {
    const std::string& client_address = origin.ip;
    auto credential = core::read_bearer(authorization);
    if (credential.status == core::BearerStatus::Missing) {
        core::fail(core::ErrorCode::Unauthenticated,
                   "Missing access token: send the header Authorization: Bearer <token>.");
    }
    if (credential.status == core::BearerStatus::NotBearer) {
        core::fail(core::ErrorCode::Unauthenticated,
                   "The Authorization header must use the Bearer scheme: Bearer <token>.");
    }
    std::string_view token = credential.token;
    if (!core::is_well_formed_token(token)) {
        reject(client_address, "The access token is malformed or its checksum is wrong.");
    }
    auto digest = m_hasher.hash(token);
    auto found = m_store.read(
        [&digest](store::Connection& c) { return store::tokens::by_key_hash(c, digest); });
    if (!found) {
        reject(client_address, "The access token is not valid.");
    }
    core::AccessToken& t = found->token;
    if (t.revoked_at) {
        // Not a guess: someone once held this token. It does not count toward the limit.
        core::fail(core::ErrorCode::InvalidToken, "The access token has been revoked.");
    }
    // Time is read only for tokens that can run out, so the common token costs no clock call.
    if (t.expires_at || found->previous_key) {
        std::string now = core::format_timestamp(m_clock());
        if (found->previous_key && !core::previous_key_works(t, now)) {
            // Answered like an unknown token (SPEC §11.3), but not a guess: not counted.
            core::fail(core::ErrorCode::InvalidToken, "The access token is not valid.");
        }
        if (core::is_expired(t, now)) {
            throw core::Error(core::ErrorCode::InvalidToken, "Access token expired.", 0,
                              core::Reason::Expired);
        }
    }
    std::optional<core::RateLimitStatus> rate_limit;
    try {
        rate_limit = m_policy.admit(t, client_address); // allowedIps, then rateLimit
    } catch (const core::RateLimitExceeded&) {
        m_use_audit.denied(t, origin, "token.rate_limited");
        throw;
    } catch (const core::Error&) {
        m_use_audit.denied(t, origin, "token.ip_denied");
        throw;
    }
    m_use_audit.used(t, origin);
    m_usage.record(t.id, found->previous_key ? std::nullopt : std::optional(digest),
                   client_address);
    return core::Caller{
        t.account_id, t.id, std::move(t.scope), std::move(t.expires_at), t.allowed_ips,
        rate_limit,   {}};
}

void Authenticator::reject(const std::string& client_address, const std::string& message) {
    if (int retry_after = m_failures.record_failure(client_address); retry_after > 0) {
        if (metrics::enabled()) {
            metrics::registry().record_throttled();
        }
        throw core::Error(core::ErrorCode::RateLimited,
                          "Too many failed authentication attempts from this address; retry later.",
                          retry_after);
    }
    core::fail(core::ErrorCode::InvalidToken, message);
}

} // namespace tokend::service
