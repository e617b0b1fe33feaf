// A token bucket (capacity, refill rate) with time passed in, so it is testable without sleeping.
#pragma once

#include <algorithm>
#include <chrono>

namespace tokend::core {

class TokenBucket {
public:
    using Clock = std::chrono::steady_clock;
    TokenBucket(double capacity, double refill_per_second, Clock::time_point now)
        : m_capacity(capacity), m_rate(refill_per_second), m_tokens(capacity), m_updated(now) {}

    // Takes one unit if available.
    bool take(Clock::time_point now) {
        refill(now);
        if (m_tokens < 1.0) {
            return false;
        }
        m_tokens -= 1.0;
        return true;
    }
    // Whole seconds until one unit is available (at least 1).
    int seconds_until_available(Clock::time_point now) {
        refill(now);
        double missing = 1.0 - m_tokens;
        return missing <= 0 ? 1 : static_cast<int>(missing / m_rate) + 1;
    }
    bool has_one(Clock::time_point now) {
        refill(now);
        return m_tokens >= 1.0;
    }
    bool is_full(Clock::time_point now) const {
        double elapsed = std::chrono::duration<double>(now - m_updated).count();
        return m_tokens + std::max(0.0, elapsed) * m_rate >= m_capacity;
    }

private:
    void refill(Clock::time_point now) {
        double elapsed = std::chrono::duration<double>(now - m_updated).count();
        if (elapsed > 0) {
            m_tokens = std::min(m_capacity, m_tokens + elapsed * m_rate);
            m_updated = now;
        }
    }

    double m_capacity;
    double m_rate;
    double m_tokens;
    Clock::time_point m_updated;
};

} // namespace tokend::core
