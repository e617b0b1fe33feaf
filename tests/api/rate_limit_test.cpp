// rateLimit (SPEC §11.7) over HTTP: validation naming the field, 429 with Retry-After and the
// RateLimit headers on the API, 403 + X-Tokend-Reason on the check, the headers on allowed
// answers, the window moving with the injected clock, and exact counting under concurrency.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <regex>
#include <thread>
#include <vector>

#include "token_fixture.hpp"

using namespace tokend::test;

namespace {
const std::string kCheck = "/api/v1/auth/check?permission=api-keys:read";

// A clock the test moves: the system time plus an offset in seconds.
struct MovableClock {
    std::shared_ptr<std::atomic<long long>> offset = std::make_shared<std::atomic<long long>>(0);
    tokend::AppConfig config() const {
        tokend::AppConfig config;
        config.clock = [offset = offset] {
            return tokend::core::system_now() + std::chrono::seconds(offset->load());
        };
        return config;
    }
    void advance(long long seconds) const { *offset += seconds; }
};

struct ClockHolder {
    MovableClock m_clock;
};

// Bases are built in order, so the clock exists before the server that reads it.
class RateLimitApi : protected ClockHolder, public TokenApi {
protected:
    RateLimitApi() : TokenApi(m_clock.config()) {}

    std::string limited(int limit, int window) {
        auto token = created(m_full, R"({"rateLimit":{"limit":)" + std::to_string(limit) +
                                         R"(,"windowSeconds":)" + std::to_string(window) + "}}");
        return token.value("key", "");
    }
};

int reset_of(const Reply& reply) {
    std::smatch m;
    std::string header = reply.header("RateLimit");
    if (!std::regex_match(header, m, std::regex(R"re("token";r=\d+;t=(\d+))re"))) {
        ADD_FAILURE() << "RateLimit header: " << header;
        return -1;
    }
    return std::stoi(m[1]);
}
} // namespace

TEST_F(RateLimitApi, CreateStoresTheLimitAndNullMeansNone) {
    auto token = created(m_full, R"({"rateLimit":{"limit":600,"windowSeconds":60}})");
    EXPECT_EQ(token["rateLimit"], (nlohmann::json{{"limit", 600}, {"windowSeconds", 60}}));
    EXPECT_TRUE(created(m_full, R"({"rateLimit":null})")["rateLimit"].is_null());
    EXPECT_TRUE(created(m_full, "{}")["rateLimit"].is_null());
    auto bounds = created(m_full, R"({"rateLimit":{"windowSeconds":86400,"limit":1000000}})");
    EXPECT_EQ(bounds["rateLimit"], (nlohmann::json{{"limit", 1000000}, {"windowSeconds", 86400}}));
}

TEST_F(RateLimitApi, BadLimitsGet400NamingTheFieldAndCreateNothing) {
    auto before = live_tokens().size();
    struct Case {
        const char* value;
        const char* field;
    };
    const Case cases[] = {
        {R"({"limit":0,"windowSeconds":60})", "rateLimit.limit"},
        {R"({"limit":1000001,"windowSeconds":60})", "rateLimit.limit"},
        {R"({"limit":-5,"windowSeconds":60})", "rateLimit.limit"},
        {R"({"limit":1.5,"windowSeconds":60})", "rateLimit.limit"},
        {R"({"limit":"10","windowSeconds":60})", "rateLimit.limit"},
        {R"({"limit":true,"windowSeconds":60})", "rateLimit.limit"},
        {R"({"limit":null,"windowSeconds":60})", "rateLimit.limit"},
        {R"({"limit":99999999999999999999,"windowSeconds":60})", "rateLimit.limit"},
        {R"({"windowSeconds":60})", "rateLimit.limit"},
        {R"({"limit":10,"windowSeconds":0})", "rateLimit.windowSeconds"},
        {R"({"limit":10,"windowSeconds":86401})", "rateLimit.windowSeconds"},
        {R"({"limit":10})", "rateLimit.windowSeconds"},
        {R"({"limit":10,"windowSeconds":60,"burst":5})", "rateLimit"},
        {R"(5)", "rateLimit"},
        {R"("10/60")", "rateLimit"},
        {R"([10,60])", "rateLimit"},
    };
    for (const auto& c : cases) {
        auto reply = create(m_full, std::string(R"({"rateLimit":)") + c.value + "}");
        expect_error(reply, 400);
        EXPECT_EQ(message_of(reply).rfind(c.field, 0), 0u) << c.value << ": " << message_of(reply);
    }
    EXPECT_EQ(live_tokens().size(), before);
}

TEST_F(RateLimitApi, OverTheLimitGets429WithRetryAfterAndRateLimitHeaders) {
    auto token = limited(3, 60);
    for (int i = 0; i < 3; ++i) {
        auto reply = list(token);
        ASSERT_EQ(reply.status, 200) << i;
        EXPECT_EQ(reply.header("RateLimit-Policy"), "\"token\";q=3;w=60");
        EXPECT_EQ(
            reply.header("RateLimit").rfind("\"token\";r=" + std::to_string(2 - i) + ";t=", 0), 0u)
            << reply.header("RateLimit");
    }
    auto refused = list(token);
    expect_error(refused, 429);
    EXPECT_EQ(message_of(refused), "Rate limit exceeded for this token.");
    EXPECT_EQ(refused.header("RateLimit-Policy"), "\"token\";q=3;w=60");
    int reset = reset_of(refused);
    EXPECT_GE(reset, 1);
    EXPECT_LE(reset, 60);
    EXPECT_EQ(refused.header("Retry-After"), std::to_string(reset));
    EXPECT_EQ(refused.header("RateLimit").rfind("\"token\";r=0;", 0), 0u);
    // Another token is not affected, and a refused write changes nothing.
    EXPECT_EQ(list(m_full).status, 200);
    auto before = live_tokens().size();
    EXPECT_EQ(create(token, "{}").status, 429);
    EXPECT_EQ(live_tokens().size(), before);
}

TEST_F(RateLimitApi, TokenWithoutLimitGetsNoRateLimitHeaders) {
    auto reply = list(m_full);
    EXPECT_EQ(reply.status, 200);
    EXPECT_FALSE(reply.headers.count("RateLimit"));
    EXPECT_FALSE(reply.headers.count("RateLimit-Policy"));
    EXPECT_FALSE(m_server.get(kCheck, m_full).headers.count("RateLimit"));
}

TEST_F(RateLimitApi, CheckOverTheLimitGets403WithRetryAfterAndReasonRateLimited) {
    auto token = limited(2, 120);
    for (int i = 0; i < 2; ++i) {
        auto allowed = m_server.get(kCheck, token);
        ASSERT_EQ(allowed.status, 204);
        EXPECT_EQ(allowed.header("RateLimit-Policy"), "\"token\";q=2;w=120");
        EXPECT_EQ(
            allowed.header("RateLimit").rfind("\"token\";r=" + std::to_string(1 - i) + ";t=", 0),
            0u);
    }
    auto refused = m_server.get(kCheck, token);
    expect_error(refused, 403);
    EXPECT_EQ(refused.header("X-Tokend-Reason"), "rate_limited");
    EXPECT_EQ(message_of(refused), "Rate limit exceeded for this token.");
    EXPECT_GE(std::stoi(refused.header("Retry-After")), 1);
    EXPECT_LE(std::stoi(refused.header("Retry-After")), 120);
}

TEST_F(RateLimitApi, ApiAndCheckShareOneCounter) {
    auto token = limited(2, 60);
    EXPECT_EQ(list(token).status, 200);
    EXPECT_EQ(m_server.get(kCheck, token).status, 204);
    EXPECT_EQ(list(token).status, 429);
    EXPECT_EQ(m_server.get(kCheck, token).status, 403);
}

TEST_F(RateLimitApi, TheWindowClosesAfterItsLengthOnTheInjectedClock) {
    auto token = limited(1, 30);
    EXPECT_EQ(list(token).status, 200);
    EXPECT_EQ(list(token).status, 429);
    m_clock.advance(29);
    EXPECT_EQ(list(token).status, 429);
    m_clock.advance(1);
    auto reopened = list(token);
    EXPECT_EQ(reopened.status, 200);
    EXPECT_EQ(reopened.header("RateLimit"), "\"token\";r=0;t=30");
    EXPECT_EQ(list(token).status, 429);
}

TEST_F(RateLimitApi, ConcurrentRequestsThroughTheServerGetExactlyTheLimit) {
    constexpr int kLimit = 57;
    auto token = limited(kLimit, 3600);
    std::atomic<int> allowed{0}, refused{0}, other{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&] {
            httplib::Client client("127.0.0.1", m_server.port());
            httplib::Headers headers{{"Authorization", "Bearer " + token}};
            for (int i = 0; i < 20; ++i) {
                auto result = client.Get(i % 2 ? kCheck.c_str() : kTokensPath.c_str(), headers);
                int status = result ? result->status : 0;
                if (status == 200 || status == 204) {
                    ++allowed;
                } else if (status == 429 || status == 403) {
                    ++refused;
                } else {
                    ++other;
                }
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(allowed.load(), kLimit);
    EXPECT_EQ(refused.load(), 8 * 20 - kLimit);
    EXPECT_EQ(other.load(), 0);
}
