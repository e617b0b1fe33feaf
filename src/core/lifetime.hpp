// "Never outlives its caller" (SPEC §11.2), the "does not exceed" rule of §5 extended to time,
// together with the server's --max-token-lifetime policy: which expiry a new key may get.
#pragma once

#include <chrono>
#include <optional>

#include "core/clock.hpp"

namespace tokend::core {

// nullopt = never expires.
using Expiry = std::optional<TimePoint>;

struct LifetimeLimits {
    TimePoint now;
    std::optional<std::chrono::seconds> max_lifetime; // the policy; nullopt = none
    Expiry caller_expires_at;                         // the caller's own expiry
};

// A token expiring at `token` does not outlive one expiring at `caller`.
bool does_not_outlive(Expiry token, Expiry caller);

// The latest moment the policy allows (now + max lifetime), or nullopt without a policy.
Expiry policy_latest(const LifetimeLimits& limits);

// The expiry of a key whose expiresAt was omitted: `fallback` (never on create, the current
// value on rotate) brought down to the policy's latest moment and the caller's expiry.
Expiry default_expiry(const LifetimeLimits& limits, Expiry fallback);

enum class ExpiryProblem {
    None,
    NotInFuture,    // 400
    BeyondPolicy,   // 400, latest = the policy's limit
    OutlivesCaller, // 403, latest = the caller's expiry
};

struct ExpiryCheck {
    ExpiryProblem problem = ExpiryProblem::None;
    TimePoint latest{}; // the limit that was passed (BeyondPolicy, OutlivesCaller)
};

// An expiresAt the client asked for (nullopt = never): in the future, within the policy (unless
// `policy_applies` is false) and not after the caller's expiry, checked in that order.
ExpiryCheck check_requested_expiry(const LifetimeLimits& limits, Expiry requested,
                                   bool policy_applies = true);

} // namespace tokend::core
