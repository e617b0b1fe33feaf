// The request-shape limit (JSON nesting depth) and the failed-auth token bucket, without I/O.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "core/token_bucket.hpp"
#include "http/json_body.hpp"

using tokend::core::TokenBucket;
using tokend::http::json_depth;

TEST(JsonDepth, CountsNestedArraysAndObjects) {
    EXPECT_EQ(json_depth("1", 16), 0);
    EXPECT_EQ(json_depth("{}", 16), 1);
    EXPECT_EQ(json_depth(R"({"a":[{"b":[]}]})", 16), 4);
    EXPECT_EQ(json_depth("[[],[[]],[]]", 16), 3);
}

TEST(JsonDepth, IgnoresBracketsInsideStrings) {
    EXPECT_EQ(json_depth(R"({"a":"[[[[{{{{"})", 16), 1);
}

TEST(JsonDepth, HandlesEscapedQuotesInsideStrings) {
    EXPECT_EQ(json_depth(R"({"a":"\"[[[[","b":"\\"})", 16), 1);
}

TEST(JsonDepth, StopsCountingPastTheLimit) {
    std::string deep(100000, '[');
    EXPECT_EQ(json_depth(deep, 16), 17);
}

namespace {
using Clock = TokenBucket::Clock;
const Clock::time_point kStart{};
} // namespace

TEST(TokenBucket, AllowsABurstUpToCapacity) {
    TokenBucket bucket(3, 1, kStart);
    EXPECT_TRUE(bucket.take(kStart));
    EXPECT_TRUE(bucket.take(kStart));
    EXPECT_TRUE(bucket.take(kStart));
    EXPECT_FALSE(bucket.take(kStart));
}

TEST(TokenBucket, RefillsOverTime) {
    TokenBucket bucket(1, 2, kStart);
    EXPECT_TRUE(bucket.take(kStart));
    EXPECT_FALSE(bucket.take(kStart + std::chrono::milliseconds(100)));
    EXPECT_TRUE(bucket.take(kStart + std::chrono::milliseconds(600)));
}

TEST(TokenBucket, NeverHoldsMoreThanCapacity) {
    TokenBucket bucket(2, 1, kStart);
    auto later = kStart + std::chrono::hours(1);
    EXPECT_TRUE(bucket.take(later));
    EXPECT_TRUE(bucket.take(later));
    EXPECT_FALSE(bucket.take(later));
}

TEST(TokenBucket, RetryAfterIsLongEnough) {
    TokenBucket bucket(1, 0.25, kStart);
    EXPECT_TRUE(bucket.take(kStart));
    int wait = bucket.seconds_until_available(kStart);
    EXPECT_GE(wait, 4);
    EXPECT_TRUE(bucket.take(kStart + std::chrono::seconds(wait)));
}

TEST(TokenBucket, RetryAfterIsAtLeastOneSecond) {
    TokenBucket bucket(1, 100, kStart);
    EXPECT_TRUE(bucket.take(kStart));
    EXPECT_EQ(bucket.seconds_until_available(kStart), 1);
}

TEST(TokenBucket, IsFullOnceRefilled) {
    TokenBucket bucket(2, 1, kStart);
    EXPECT_TRUE(bucket.is_full(kStart));
    EXPECT_TRUE(bucket.take(kStart));
    EXPECT_FALSE(bucket.is_full(kStart));
    EXPECT_TRUE(bucket.is_full(kStart + std::chrono::seconds(2)));
}
