// The rateLimit counter of SPEC §11.7 with time passed in: a fixed window opened by the first
// request, `limit` requests allowed in it, refusals not counted, reset seconds for the headers.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "core/rate_window.hpp"
#include "service/rate_limiter.hpp"

using tokend::core::RateWindow;
using namespace std::chrono_literals;

namespace {
const RateWindow::Clock::time_point kStart = RateWindow::Clock::time_point{} + 1000h;
}

TEST(RateWindow, AllowsLimitRequestsThenRefuses) {
    RateWindow window;
    for (int i = 0; i < 3; ++i) {
        auto d = window.take(kStart + std::chrono::seconds(i), 3, 60);
        EXPECT_TRUE(d.allowed) << i;
        EXPECT_EQ(d.remaining, 2 - i);
        EXPECT_EQ(d.reset_seconds, 60 - i);
    }
    auto refused = window.take(kStart + 10s, 3, 60);
    EXPECT_FALSE(refused.allowed);
    EXPECT_EQ(refused.remaining, 0);
    EXPECT_EQ(refused.reset_seconds, 50);
}

TEST(RateWindow, WindowOpensAtFirstRequestAndClosesAfterItsLength) {
    RateWindow window;
    EXPECT_TRUE(window.take(kStart, 1, 60).allowed);
    EXPECT_FALSE(window.take(kStart + 59999ms, 1, 60).allowed);
    auto next = window.take(kStart + 60s, 1, 60);
    EXPECT_TRUE(next.allowed);
    EXPECT_EQ(next.reset_seconds, 60);
    // The new window opened at that request, not at a multiple of 60 s.
    EXPECT_FALSE(window.take(kStart + 119s, 1, 60).allowed);
}

TEST(RateWindow, ResetRoundsUpAndIsAtLeastOneSecond) {
    RateWindow window;
    window.take(kStart, 1, 10);
    EXPECT_EQ(window.take(kStart + 9500ms, 1, 10).reset_seconds, 1);
    EXPECT_EQ(window.take(kStart + 8999ms, 1, 10).reset_seconds, 2);
}

TEST(RateWindow, RefusedRequestsAreNotCounted) {
    RateWindow window;
    window.take(kStart, 2, 60);
    window.take(kStart, 2, 60);
    for (int i = 0; i < 100; ++i) {
        EXPECT_FALSE(window.take(kStart + 1s, 2, 60).allowed);
    }
    auto after = window.take(kStart + 60s, 2, 60);
    EXPECT_TRUE(after.allowed);
    EXPECT_EQ(after.remaining, 1);
}

TEST(RateWindow, ChangedLimitAppliesToTheCurrentWindow) {
    RateWindow window;
    for (int i = 0; i < 5; ++i) {
        window.take(kStart, 10, 60);
    }
    EXPECT_FALSE(window.take(kStart + 1s, 5, 60).allowed);
    EXPECT_TRUE(window.take(kStart + 1s, 6, 60).allowed);
}

TEST(RateWindow, ChangedWindowLengthOpensANewWindow) {
    RateWindow window;
    window.take(kStart, 1, 60);
    EXPECT_FALSE(window.take(kStart + 1s, 1, 60).allowed);
    auto changed = window.take(kStart + 2s, 1, 30);
    EXPECT_TRUE(changed.allowed);
    EXPECT_EQ(changed.reset_seconds, 30);
}

TEST(RateWindow, ClockSetBackNeverStretchesTheWindowPastItsLength) {
    RateWindow window;
    window.take(kStart, 1, 60);
    auto earlier = window.take(kStart - 1h, 1, 60);
    EXPECT_FALSE(earlier.allowed); // the count is kept
    EXPECT_EQ(earlier.reset_seconds, 60);
    EXPECT_TRUE(window.take(kStart - 1h + 60s, 1, 60).allowed);
}

TEST(RateWindow, IdleOnceTheWindowClosed) {
    RateWindow window;
    EXPECT_TRUE(window.is_idle(kStart));
    window.take(kStart, 1, 60);
    EXPECT_FALSE(window.is_idle(kStart + 59s));
    EXPECT_TRUE(window.is_idle(kStart + 60s));
}

TEST(RateLimiter, CountsEachTokenSeparatelyWithTheInjectedClock) {
    std::atomic<long long> offset_ms{0};
    tokend::service::RateLimiter limiter(
        [&] { return kStart + std::chrono::milliseconds(offset_ms.load()); });
    EXPECT_TRUE(limiter.take("a", 1, 10).allowed);
    EXPECT_FALSE(limiter.take("a", 1, 10).allowed);
    EXPECT_TRUE(limiter.take("b", 1, 10).allowed);
    offset_ms = 10'000;
    EXPECT_TRUE(limiter.take("a", 1, 10).allowed);
}

TEST(RateLimiter, ConcurrentTakesAllowExactlyTheLimit) {
    tokend::service::RateLimiter limiter([] { return kStart; });
    std::atomic<int> allowed{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 500; ++i) {
                allowed += limiter.take("shared", 1234, 60).allowed ? 1 : 0;
                limiter.take("own-" + std::to_string(i % 7), 1'000'000, 60);
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(allowed.load(), 1234);
}
