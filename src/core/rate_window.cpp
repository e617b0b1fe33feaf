// Fixed-window counting.
#include "core/rate_window.hpp"

#include <algorithm>

namespace tokend::core {

RateDecision RateWindow::take(Clock::time_point now, std::int64_t limit,
                              std::int64_t window_seconds) {
    auto length = std::chrono::seconds(window_seconds);
    // A wall clock set back would stretch the window by the jump; restart it at `now` instead
    // (keeping the count), so a window never lasts longer than its length from now.
    if (window_seconds != m_window_seconds || now >= m_start + length) {
        m_start = now;
        m_window_seconds = window_seconds;
        m_count = 0;
    } else if (now < m_start) {
        m_start = now;
    }
    auto left = std::chrono::ceil<std::chrono::seconds>(m_start + length - now).count();
    RateDecision decision;
    decision.reset_seconds = std::max<std::int64_t>(1, left);
    decision.allowed = m_count < limit;
    if (decision.allowed) {
        ++m_count;
    }
    decision.remaining = std::max<std::int64_t>(0, limit - m_count);
    return decision;
}

bool RateWindow::is_idle(Clock::time_point now) const {
    return m_window_seconds == 0 || now >= m_start + std::chrono::seconds(m_window_seconds);
}

} // namespace tokend::core
