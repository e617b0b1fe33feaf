// A token's usage policy (SPEC §11.6, §11.7): where it may be used from and how often, decided at
// each use; and the "not wider than the caller" rule for the allowedIps of a new or changed token.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/ip_range.hpp"
#include "core/types.hpp"
#include "service/rate_limiter.hpp"

namespace tokend::service {

class UsagePolicy {
public:
    explicit UsagePolicy(core::Clock clock);

    // Called for every use of a valid token. Throws Forbidden (Reason::IpForbidden) when
    // `client_address` is outside the token's allowedIps, and core::RateLimitExceeded (429) when
    // the token is over its rateLimit; the address is checked first, so a refused address does
    // not spend the token's budget. Returns the token's standing for the RateLimit headers.
    std::optional<core::RateLimitStatus> admit(const core::AccessToken& token,
                                               const std::string& client_address);

private:
    RateLimiter m_limiter;
};

// The allowedIps to store for a token the caller creates or changes: omitted or [] → the
// caller's own list; otherwise the requested ranges, which must lie within the caller's list
// (Forbidden otherwise). Normalized, duplicates removed, first occurrence kept.
std::vector<std::string> allowed_ips_for(const core::Caller& caller,
                                         const std::optional<core::IpRanges>& requested);

} // namespace tokend::service
