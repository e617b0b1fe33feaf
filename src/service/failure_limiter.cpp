// Keyed token buckets with a bounded number of keys.
#include "service/failure_limiter.hpp"

namespace tokend::service {

namespace {
// Full buckets carry no information, so they are dropped when the map grows this large.
constexpr std::size_t kMaxTrackedKeys = 10'000;
} // namespace

FailureLimiter::FailureLimiter(double burst, double refill_per_second)
    : m_burst(burst), m_rate(refill_per_second) {}

core::TokenBucket& FailureLimiter::bucket(const std::string& key,
                                          core::TokenBucket::Clock::time_point now) {
    if (m_buckets.size() >= kMaxTrackedKeys) {
        std::erase_if(m_buckets, [now](const auto& entry) { return entry.second.is_full(now); });
    }
    return m_buckets.try_emplace(key, m_burst, m_rate, now).first->second;
}

int FailureLimiter::retry_after(const std::string& key) {
    auto now = core::TokenBucket::Clock::now();
    std::lock_guard lock(m_mutex);
    auto it = m_buckets.find(key);
    if (it == m_buckets.end() || it->second.has_one(now)) {
        return 0;
    }
    return it->second.seconds_until_available(now);
}

int FailureLimiter::record_failure(const std::string& key) {
    auto now = core::TokenBucket::Clock::now();
    std::lock_guard lock(m_mutex);
    auto& b = bucket(key, now);
    return b.take(now) ? 0 : b.seconds_until_available(now);
}

} // namespace tokend::service
