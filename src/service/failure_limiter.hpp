// Counts failures per key (a client address, an email) in token buckets: a burst is allowed,
// then one attempt per refill interval. Used for bearer guesses and admin-page sign-ins.
#pragma once

#include <mutex>
#include <string>
#include <unordered_map>

#include "core/token_bucket.hpp"

namespace tokend::service {

class FailureLimiter {
public:
    FailureLimiter(double burst, double refill_per_second);

    // Seconds `key` must wait before its next attempt; 0 when it may try now.
    int retry_after(const std::string& key);
    // Records one failure; returns the seconds to wait if that failure exceeded the budget, else 0.
    int record_failure(const std::string& key);

private:
    core::TokenBucket& bucket(const std::string& key, core::TokenBucket::Clock::time_point now);

    double m_burst;
    double m_rate;
    std::mutex m_mutex;
    std::unordered_map<std::string, core::TokenBucket> m_buckets;
};

} // namespace tokend::service
