// "Never outlives its caller" and the lifetime policy (SPEC §11.2), table-driven, plus the
// timestamp and duration parsers the API and the CLI read expiries with.
#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "core/duration.hpp"
#include "core/lifetime.hpp"

using namespace tokend::core;
using namespace std::chrono_literals;

namespace {
const TimePoint kNow = *parse_timestamp("2026-06-01T00:00:00.000Z");
constexpr auto kDay = std::chrono::hours(24);

Expiry at(std::chrono::system_clock::duration from_now) {
    return kNow + from_now;
}
} // namespace

TEST(Lifetime, DoesNotOutliveTable) {
    struct Row {
        Expiry token, caller;
        bool expected;
    };
    const Row rows[] = {
        {std::nullopt, std::nullopt, true}, // neither expires
        {at(kDay), std::nullopt, true},     // the caller never expires
        {std::nullopt, at(kDay), false},    // a never-expiring token outlives any expiring caller
        {at(kDay), at(kDay), true},         // the same moment is not longer
        {at(kDay), at(2 * kDay), true},     {at(2 * kDay), at(kDay), false},
    };
    for (const auto& row : rows) {
        EXPECT_EQ(does_not_outlive(row.token, row.caller), row.expected);
    }
}

TEST(Lifetime, DefaultExpiryTable) {
    struct Row {
        std::optional<std::chrono::seconds> policy;
        Expiry caller, fallback, expected;
    };
    const Row rows[] = {
        {std::nullopt, std::nullopt, std::nullopt, std::nullopt}, // no limits: never
        {std::nullopt, std::nullopt, at(kDay), at(kDay)},         // rotate keeps its value
        {90 * kDay, std::nullopt, std::nullopt, at(90 * kDay)},   // the policy's default
        {90 * kDay, std::nullopt, at(100 * kDay), at(90 * kDay)}, // kept value capped
        {90 * kDay, std::nullopt, at(kDay), at(kDay)},            // an earlier value stays
        {std::nullopt, at(7 * kDay), std::nullopt, at(7 * kDay)}, // the caller's expiry
        {90 * kDay, at(7 * kDay), std::nullopt, at(7 * kDay)},    // caller earlier than policy
        {5 * kDay, at(7 * kDay), std::nullopt, at(5 * kDay)},     // policy earlier than caller
        {5 * kDay, at(7 * kDay), at(3 * kDay), at(3 * kDay)},     // fallback earliest
    };
    for (const auto& row : rows) {
        LifetimeLimits limits{kNow, row.policy, row.caller};
        EXPECT_EQ(default_expiry(limits, row.fallback), row.expected);
    }
}

TEST(Lifetime, RequestedExpiryTable) {
    struct Row {
        std::optional<std::chrono::seconds> policy;
        Expiry caller, requested;
        bool policy_applies;
        ExpiryProblem expected;
        Expiry latest;
    };
    const Row rows[] = {
        {std::nullopt, std::nullopt, at(kDay), true, ExpiryProblem::None, {}},
        {std::nullopt, std::nullopt, std::nullopt, true, ExpiryProblem::None, {}},
        {std::nullopt, std::nullopt, at(0s), true, ExpiryProblem::NotInFuture, {}},
        {std::nullopt, std::nullopt, at(-1s), true, ExpiryProblem::NotInFuture, {}},
        {std::nullopt, std::nullopt, at(1ms), true, ExpiryProblem::None, {}},
        {90 * kDay, std::nullopt, at(90 * kDay), true, ExpiryProblem::None, {}},
        {90 * kDay, std::nullopt, at(90 * kDay + 1ms), true, ExpiryProblem::BeyondPolicy,
         at(90 * kDay)},
        {90 * kDay, std::nullopt, std::nullopt, true, ExpiryProblem::BeyondPolicy, at(90 * kDay)},
        {90 * kDay, std::nullopt, at(100 * kDay), false, ExpiryProblem::None, {}},
        {std::nullopt, at(kDay), at(kDay), true, ExpiryProblem::None, {}},
        {std::nullopt, at(kDay), at(kDay + 1ms), true, ExpiryProblem::OutlivesCaller, at(kDay)},
        {std::nullopt, at(kDay), std::nullopt, true, ExpiryProblem::OutlivesCaller, at(kDay)},
        {std::nullopt, at(kDay), at(-kDay), true, ExpiryProblem::NotInFuture, {}},
        // The policy is checked before the caller: both passed reports the policy (a 400).
        {5 * kDay, at(7 * kDay), at(8 * kDay), true, ExpiryProblem::BeyondPolicy, at(5 * kDay)},
        {90 * kDay, at(7 * kDay), at(8 * kDay), true, ExpiryProblem::OutlivesCaller, at(7 * kDay)},
    };
    for (const auto& row : rows) {
        LifetimeLimits limits{kNow, row.policy, row.caller};
        auto check = check_requested_expiry(limits, row.requested, row.policy_applies);
        EXPECT_EQ(check.problem, row.expected);
        if (row.latest) {
            EXPECT_EQ(check.latest, *row.latest);
        }
    }
}

TEST(Timestamp, ParsesWithAndWithoutMilliseconds) {
    auto with = parse_timestamp("2027-01-01T00:00:00.000Z");
    auto without = parse_timestamp("2027-01-01T00:00:00Z");
    ASSERT_TRUE(with && without);
    EXPECT_EQ(*with, *without);
    EXPECT_EQ(format_timestamp(*with), "2027-01-01T00:00:00.000Z");
    EXPECT_EQ(format_timestamp(*parse_timestamp("2028-02-29T23:59:59.123Z")),
              "2028-02-29T23:59:59.123Z");
}

TEST(Timestamp, RoundTripsThroughFormat) {
    for (const char* text : {"1970-01-01T00:00:00.000Z", "2026-12-02T04:05:06.789Z",
                             "2200-12-31T23:59:59.999Z", "2000-02-29T12:00:00.000Z"}) {
        auto parsed = parse_timestamp(text);
        ASSERT_TRUE(parsed) << text;
        EXPECT_EQ(format_timestamp(*parsed), text);
    }
}

TEST(Timestamp, RejectsMalformedAndImpossibleDates) {
    for (const char* text : {"",
                             "2027-01-01",
                             "2027-01-01T00:00:00",
                             "2027-01-01T00:00:00+00:00",
                             "2027-01-01 00:00:00Z",
                             "2027-13-01T00:00:00Z",
                             "2027-00-01T00:00:00Z",
                             "2027-02-29T00:00:00Z",
                             "2027-04-31T00:00:00Z",
                             "2027-01-01T24:00:00Z",
                             "2027-01-01T00:60:00Z",
                             "2027-01-01T00:00:60Z",
                             "1969-12-31T23:59:59Z",
                             "2201-01-01T00:00:00Z",
                             "9999-12-31T23:59:59Z",
                             "2027-01-01T00:00:00.00Z",
                             "2027-01-01T00:00:00.0000Z",
                             "2027-01-01T00:00:00,000Z",
                             "2027-01-01t00:00:00Z",
                             "2027-01-01T00:00:00z",
                             "+027-01-01T00:00:00Z",
                             "2027-01-01T0a:00:00Z",
                             "dft_2027-01-01T00:00"}) {
        EXPECT_FALSE(parse_timestamp(text)) << text;
    }
}

TEST(Duration, ParsesEachUnit) {
    EXPECT_EQ(parse_duration("90d"), std::chrono::seconds(90 * 86400));
    EXPECT_EQ(parse_duration("12h"), std::chrono::seconds(12 * 3600));
    EXPECT_EQ(parse_duration("30m"), std::chrono::seconds(1800));
    EXPECT_EQ(parse_duration("45s"), std::chrono::seconds(45));
    EXPECT_EQ(parse_duration("0"), std::chrono::seconds(0));
    EXPECT_EQ(parse_duration("0h"), std::chrono::seconds(0));
}

TEST(Duration, RejectsAnythingElse) {
    for (const char* text :
         {"", "d", "90", "-1d", "+1d", "1.5h", "1 h", "1w", "1D", "h1", "1234567890d", "1hh"}) {
        EXPECT_FALSE(parse_duration(text)) << text;
    }
}
