// Deadlines on the front door's monotonic clock, and the poll/epoll timeout that waits for one.
#pragma once

#include <algorithm>
#include <chrono>
#include <climits>

namespace tokend::http::front_door {

using Clock = std::chrono::steady_clock;

// Milliseconds left until `deadline`, rounded up (a wait that ends a fraction early would wake
// only to wait again), never negative: the timeout argument of poll(2) and epoll_wait(2).
inline int poll_timeout(Clock::time_point deadline) {
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    return static_cast<int>(std::clamp<long long>(left.count(), 0, INT_MAX));
}

} // namespace tokend::http::front_door
