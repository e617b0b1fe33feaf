// Lifetime rules.
#include "core/lifetime.hpp"

#include <algorithm>

namespace tokend::core {

namespace {
Expiry earliest(Expiry a, Expiry b) {
    if (!a) {
        return b;
    }
    if (!b) {
        return a;
    }
    return std::min(*a, *b);
}
} // namespace

bool does_not_outlive(Expiry token, Expiry caller) {
    if (!caller) {
        return true;
    }
    return token && *token <= *caller;
}

Expiry policy_latest(const LifetimeLimits& limits) {
    if (!limits.max_lifetime) {
        return std::nullopt;
    }
    return limits.now + *limits.max_lifetime;
}

Expiry default_expiry(const LifetimeLimits& limits, Expiry fallback) {
    return earliest(earliest(fallback, policy_latest(limits)), limits.caller_expires_at);
}

ExpiryCheck check_requested_expiry(const LifetimeLimits& limits, Expiry requested,
                                   bool policy_applies) {
    if (requested && *requested <= limits.now) {
        return {ExpiryProblem::NotInFuture, {}};
    }
    if (auto latest = policy_latest(limits);
        policy_applies && latest && !does_not_outlive(requested, latest)) {
        return {ExpiryProblem::BeyondPolicy, *latest};
    }
    if (!does_not_outlive(requested, limits.caller_expires_at)) {
        return {ExpiryProblem::OutlivesCaller, *limits.caller_expires_at};
    }
    return {};
}

} // namespace tokend::core
