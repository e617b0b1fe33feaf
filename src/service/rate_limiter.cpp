// Striped fixed-window counters.
#include "service/rate_limiter.hpp"

namespace tokend::service {

namespace {
// Closed windows carry nothing; a stripe that grows this large drops them. Live tokens are
// bounded by the per-account limit, so this is a memory bound, not a correctness rule.
constexpr std::size_t kSweepAbove = 4096;
} // namespace

RateLimiter::RateLimiter(Now now) : m_now(std::move(now)) {}

core::RateDecision RateLimiter::take(const std::string& token_id, std::int64_t limit,
                                     std::int64_t window_seconds) {
    auto now = m_now();
    Stripe& stripe = m_stripes[std::hash<std::string>{}(token_id) % kStripes];
    std::lock_guard lock(stripe.mutex);
    if (stripe.windows.size() >= kSweepAbove) {
        std::erase_if(stripe.windows,
                      [now](const auto& entry) { return entry.second.is_idle(now); });
    }
    return stripe.windows[token_id].take(now, limit, window_seconds);
}

} // namespace tokend::service
