// Turns an Authorization header into a Caller: shape and checksum first, then one lookup by
// keyed hash (current or rotated-away key) on a reader connection. Failed guesses are counted
// per client address.
#pragma once

#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/types.hpp"
#include "crypto/token_hasher.hpp"
#include "service/failure_limiter.hpp"
#include "service/usage_policy.hpp"
#include "service/usage_recorder.hpp"
#include "service/use_audit.hpp"
#include "store/store.hpp"

namespace tokend::service {

struct FailedAuthLimits {
    double burst = 20;            // failed attempts allowed at once per address
    double refill_per_second = 1; // and then this many per second
};

class Authenticator {
public:
    Authenticator(store::Store& store, const crypto::TokenHasher& hasher, UsageRecorder& usage,
                  FailedAuthLimits limits, core::Clock clock);

    // Throws Unauthenticated (no bearer token), InvalidToken (wrong, revoked, malformed,
    // expired — then with Reason::Expired, rotated away after its grace) or, when this address
    // has failed too often, RateLimited instead of InvalidToken. A valid token is never refused
    // for throttling: the bucket decides only how a failure is reported. Only guesses count
    // toward the bucket: revoked, expired and rotated-away keys were once real. A real, live
    // token then meets its usage policy (service/usage_policy.hpp): Forbidden from outside its
    // allowedIps, core::RateLimitExceeded over its rateLimit — neither counts as a guess.
    core::Caller authenticate(std::string_view authorization, const core::Origin& origin);

private:
    [[noreturn]] void reject(const std::string& client_address, const std::string& message);

    store::Store& m_store;
    const crypto::TokenHasher& m_hasher;
    UsageRecorder& m_usage;
    FailureLimiter m_failures;
    core::Clock m_clock;
    UsagePolicy m_policy;
    UseAudit m_use_audit;
};

} // namespace tokend::service
