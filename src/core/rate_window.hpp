// The per-token rate limit's counter (SPEC §11.7): a fixed window that opens at the first
// request after the previous window closed, with time passed in so it is testable without sleep.
#pragma once

#include <chrono>
#include <cstdint>

namespace tokend::core {

// What one request learns: whether it is allowed, and the values of the RateLimit header —
// requests left in this window and whole seconds until the window closes (at least 1).
struct RateDecision {
    bool allowed = true;
    std::int64_t remaining = 0;
    std::int64_t reset_seconds = 0;
};

class RateWindow {
public:
    using Clock = std::chrono::system_clock;

    // Counts one request against `limit` per `window_seconds`. A refused request is not counted,
    // so a client that keeps retrying does not push its own window back. If the window length
    // changes (the token was edited), a new window opens; a changed limit applies at once to
    // the requests already counted.
    RateDecision take(Clock::time_point now, std::int64_t limit, std::int64_t window_seconds);

    // True once this window has closed: the state then carries nothing and may be dropped.
    bool is_idle(Clock::time_point now) const;

private:
    Clock::time_point m_start{};
    std::int64_t m_window_seconds = 0; // 0 = no window opened yet
    std::int64_t m_count = 0;
};

} // namespace tokend::core
