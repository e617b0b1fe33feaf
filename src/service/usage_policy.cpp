// Address and rate checks at the moment of use; the address rule for new lists.
#include "service/usage_policy.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/rate_limit_exceeded.hpp"

namespace tokend::service {

UsagePolicy::UsagePolicy(core::Clock clock) : m_limiter(std::move(clock)) {}

std::optional<core::RateLimitStatus> UsagePolicy::admit(const core::AccessToken& token,
                                                        const std::string& client_address) {
    if (!core::allows_text(token.allowed_ips, client_address)) {
        // A policy refusal of a real token, not a guess: it never reaches the failed-auth bucket.
        throw core::Error(core::ErrorCode::Forbidden,
                          "This token cannot be used from " + client_address + ".", 0,
                          core::Reason::IpForbidden);
    }
    if (!token.rate_limit) {
        return std::nullopt;
    }
    auto decision =
        m_limiter.take(token.id, token.rate_limit->limit, token.rate_limit->window_seconds);
    core::RateLimitStatus status{*token.rate_limit, decision.remaining, decision.reset_seconds};
    if (!decision.allowed) {
        throw core::RateLimitExceeded(core::ErrorCode::RateLimited, status);
    }
    return status;
}

std::vector<std::string> allowed_ips_for(const core::Caller& caller,
                                         const std::optional<core::IpRanges>& requested) {
    if (!requested || requested->empty()) {
        return caller.allowed_ips;
    }
    auto own = core::parse_stored_ranges(caller.allowed_ips);
    for (std::size_t i = 0; i < requested->size(); ++i) {
        if (!core::lies_within({(*requested)[i]}, own)) {
            core::fail(core::ErrorCode::Forbidden, "allowedIps[" + std::to_string(i) + "] (" +
                                                       core::format_ip_range((*requested)[i]) +
                                                       ") is outside your token's own allowedIps.");
        }
    }
    // Implied by the loop; checked as a whole because widening is the bug we cannot ship.
    if (!core::lies_within(*requested, own)) {
        core::fail(core::ErrorCode::Forbidden, "allowedIps would be wider than your token's.");
    }
    std::vector<std::string> stored;
    for (const auto& range : *requested) {
        std::string text = core::format_ip_range(range);
        if (std::find(stored.begin(), stored.end(), text) == stored.end()) {
            stored.push_back(std::move(text));
        }
    }
    return stored;
}

} // namespace tokend::service
