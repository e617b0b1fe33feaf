// Revocation by value for leaked tokens (SPEC §11.8): anyone who finds a token may report it,
// and every token a reported string is a key of is revoked. Nothing about the outcome is
// returned, so the route cannot be used to test whether a string is a live token.
#pragma once

#include "core/audit_event.hpp"

#include <string>
#include <vector>

#include "core/clock.hpp"
#include "crypto/token_hasher.hpp"
#include "service/failure_limiter.hpp"
#include "store/store.hpp"

namespace tokend::service {

struct LeakReportLimits {
    double burst = 60;                   // reports allowed at once per client address
    double refill_per_second = 1.0 / 60; // and then one a minute: at most 60 an hour
};

class LeakReport {
public:
    LeakReport(store::Store& store, const crypto::TokenHasher& hasher, core::Clock clock,
               LeakReportLimits limits);

    // Counts one report from `client_address` before its body is read; throws RateLimited with
    // a retry-after past the limit.
    void admit(const std::string& client_address);

    // Revokes every live token whose current or previous key is one of `credentials`, logging
    // a WARN line per token (its id and display key, never the key). Strings that are not
    // well-formed tokens are skipped before any lookup; every well-formed one is looked up,
    // matched or not, so the work (and the time) barely depends on what matched.
    // `origin` is the reporter's (anonymous) address, user agent and request id.
    void revoke_reported(const std::vector<std::string>& credentials, const core::Origin& origin);

private:
    store::Store& m_store;
    const crypto::TokenHasher& m_hasher;
    core::Clock m_clock;
    FailureLimiter m_reports;
};

} // namespace tokend::service
