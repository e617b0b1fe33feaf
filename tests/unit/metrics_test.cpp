// The metrics registry's fixed shapes: histogram buckets, status and reason tables, and which
// series a scrape shows.
#include <gtest/gtest.h>

#include "metrics/registry.hpp"

using namespace tokend::metrics;

TEST(Histogram, ObservationOnABoundLandsInThatBucketAndLargerOnesInInf) {
    Histogram<3> h(Histogram<3>::Bounds{1, 10, 100});
    h.observe(1);
    h.observe(2);
    h.observe(100);
    h.observe(101);
    EXPECT_EQ(h.bucket(0), 1u);
    EXPECT_EQ(h.bucket(1), 1u);
    EXPECT_EQ(h.bucket(2), 1u);
    EXPECT_EQ(h.bucket(3), 1u);
    EXPECT_EQ(h.sum(), 204u);
}

TEST(MetricsTables, UnknownStatusCountsAsOther) {
    EXPECT_EQ(kStatuses[status_index(204)], 204);
    EXPECT_EQ(status_index(418), kStatuses.size());
}

TEST(MetricsTables, ReasonNamesRoundTripAndUnknownNamesAreOther) {
    for (int i = 0; i < static_cast<int>(CheckReason::Count); ++i) {
        auto reason = static_cast<CheckReason>(i);
        EXPECT_EQ(parse_reason(reason_name(reason)), reason);
    }
    EXPECT_EQ(parse_reason("made_up"), CheckReason::Other);
    EXPECT_EQ(outcome_name(CheckReason::Allowed), "allowed");
    EXPECT_EQ(outcome_name(CheckReason::Expired), "denied");
    EXPECT_EQ(outcome_name(CheckReason::BadRequest), "error");
}

TEST(Registry, OneSeriesPerRouteAndOnlyUsedRoutesAreShown) {
    Registry registry;
    auto& a = registry.route("GET", "/things/{id}");
    EXPECT_EQ(&a, &registry.route("GET", "/things/{id}"));
    registry.route("POST", "/things");
    EXPECT_EQ(registry.render(0).find("/things"), std::string::npos);

    registry.record_request(a, 404, std::chrono::microseconds(30));
    registry.record_request(a, 404, std::chrono::seconds(10));
    auto text = registry.render(7);
    EXPECT_NE(
        text.find(
            R"(tokend_http_requests_total{method="GET",route="/things/{id}",status="404"} 2)"),
        std::string::npos)
        << text;
    EXPECT_NE(text.find(R"(route="/things/{id}",le="0.00005"} 1)"), std::string::npos) << text;
    EXPECT_NE(text.find(R"(route="/things/{id}",le="+Inf"} 2)"), std::string::npos) << text;
    EXPECT_NE(text.find(R"(_sum{method="GET",route="/things/{id}"} 10.00003)"), std::string::npos)
        << text;
    EXPECT_EQ(text.find(R"(route="/things",)"), std::string::npos) << text;
    EXPECT_NE(text.find("tokend_live_tokens 7\n"), std::string::npos);
}
