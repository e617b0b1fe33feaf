// Per-token request counting for rateLimit (SPEC §11.7), in memory and exact within one process.
// Striped: a token's window sits in one of many small maps, each behind its own mutex, so checks
// of different tokens do not wait for each other and tokens without a limit never get here.
#pragma once

#include <array>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/rate_window.hpp"

namespace tokend::service {

class RateLimiter {
public:
    using Now = std::function<core::RateWindow::Clock::time_point()>;
    explicit RateLimiter(Now now);

    // Counts one request of `token_id` against `limit` per `window_seconds`.
    core::RateDecision take(const std::string& token_id, std::int64_t limit,
                            std::int64_t window_seconds);

private:
    static constexpr std::size_t kStripes = 64;
    struct Stripe {
        std::mutex mutex;
        std::unordered_map<std::string, core::RateWindow> windows;
    };

    Now m_now;
    std::array<Stripe, kStripes> m_stripes;
};

} // namespace tokend::service
