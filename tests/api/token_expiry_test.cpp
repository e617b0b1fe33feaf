// SPEC §11.1–§11.2 on the real App: expiresAt on create, the lifetime policy, "never outlives
// its caller", the 401 of an expired token, listing, the limit, the throttle and the purge.
#include "crypto/random.hpp"
#include "lifecycle_fixture.hpp"

using namespace tokend::test;
using nlohmann::json;
using tokend::AppConfig;

namespace {
AppConfig policy(int days) {
    AppConfig config;
    config.max_token_lifetime = std::chrono::days(days);
    return config;
}

class Expiry : public LifecycleApi {};

class ExpiryPolicy : public LifecycleApi {
protected:
    ExpiryPolicy() : LifecycleApi(policy(90)) {}
};

class ExpiryLimit : public LifecycleApi {
protected:
    ExpiryLimit()
        : LifecycleApi([] {
              AppConfig config;
              config.max_tokens_per_account = 2; // alice's full token plus one
              return config;
          }()) {}
};

class ExpiryThrottle : public LifecycleApi {
protected:
    ExpiryThrottle()
        : LifecycleApi([] {
              AppConfig config;
              config.failed_auth = {2, 0.0001};
              return config;
          }()) {}
};
} // namespace

TEST_F(Expiry, NewFieldsHaveTheirDefaultsWhenUnset) {
    auto t = made("{}");
    EXPECT_EQ(t["expiresAt"], nullptr);
    EXPECT_EQ(t["state"], "active");
    EXPECT_EQ(t["rotatedAt"], nullptr);
    EXPECT_EQ(t["previousKeyExpiresAt"], nullptr);
    EXPECT_EQ(t["allowedIps"], json::array());
    EXPECT_EQ(t["rateLimit"], nullptr);
    for (const auto& listed_token : live_tokens()) {
        EXPECT_EQ(keys_of(listed_token), kTokenKeys);
    }
}

TEST_F(Expiry, CreateStoresExpiresAtNormalizedWithMilliseconds) {
    auto t = made(R"({"expiresAt":"2099-01-01T00:00:00Z"})");
    EXPECT_EQ(t["expiresAt"], "2099-01-01T00:00:00.000Z");
    EXPECT_EQ(listed(t["_id"])["expiresAt"], "2099-01-01T00:00:00.000Z");
    auto with_ms = made(R"({"expiresAt":"2099-01-01T00:00:00.250Z"})");
    EXPECT_EQ(with_ms["expiresAt"], "2099-01-01T00:00:00.250Z");
}

TEST_F(Expiry, NullExpiresAtNeverExpires) {
    EXPECT_EQ(made(R"({"expiresAt":null})")["expiresAt"], nullptr);
}

TEST_F(Expiry, BadExpiresAtIsRefusedNamingItAndChangesNothing) {
    auto before = live_tokens();
    for (const std::string& value : std::vector<std::string>{
             json(m_clock.now_text()).dump(), json(m_clock.in(-1s)).dump(), R"("2099-01-01")",
             R"("2099-13-01T00:00:00Z")", R"("2099-01-01T00:00:00+01:00")", R"("tomorrow")",
             "12345", "true", "{}", "[]"}) {
        auto reply = create(m_full, R"({"expiresAt":)" + value + "}");
        expect_error(reply, 400);
        EXPECT_NE(message_of(reply).find("expiresAt"), std::string::npos) << message_of(reply);
    }
    EXPECT_EQ(live_tokens(), before);
}

TEST_F(Expiry, ExpiredTokenGetsTheExact401) {
    auto t = made(json{{"expiresAt", m_clock.in(1h)}}.dump());
    EXPECT_EQ(status_of(t["key"]), 200);
    m_clock.advance(1h);
    auto reply = list(t["key"]);
    expect_error(reply, 401);
    EXPECT_EQ(message_of(reply), "Access token expired.");
    EXPECT_EQ(reply.header("WWW-Authenticate"),
              R"(Bearer error="invalid_token", error_description="The access token expired")");
}

TEST_F(Expiry, ExpiredTokenStaysListedAsExpired) {
    auto t = made(json{{"expiresAt", m_clock.in(1h)}}.dump());
    m_clock.advance(1h + 1ms);
    auto entry = listed(t["_id"]);
    ASSERT_TRUE(entry.is_object());
    EXPECT_EQ(entry["state"], "expired");
    EXPECT_EQ(entry["expiresAt"], t["expiresAt"]);
}

TEST_F(Expiry, EveryBearerAnswerNamesTheExpiry) {
    auto t = made(json{{"expiresAt", "2099-01-01T00:00:00Z"}}.dump());
    EXPECT_EQ(list(t["key"]).header("X-Tokend-Token-Expires"), "2099-01-01T00:00:00.000Z");
    // Even a refusal after authentication (no api-keys:write) carries it.
    auto reader = made(R"({"expiresAt":"2099-01-01T00:00:00Z","permissions":["api-keys:read"]})");
    auto refused = create(reader["key"], "{}");
    EXPECT_EQ(refused.status, 403);
    EXPECT_EQ(refused.header("X-Tokend-Token-Expires"), "2099-01-01T00:00:00.000Z");
    EXPECT_FALSE(list(m_full).headers.count("X-Tokend-Token-Expires"));
}

TEST_F(ExpiryLimit, ExpiredTokensDoNotCountTowardTheLimit) {
    made(json{{"expiresAt", m_clock.in(1h)}}.dump());
    expect_error(create(m_full, "{}"), 400); // the limit is reached
    m_clock.advance(1h);
    EXPECT_EQ(create(m_full, "{}").status, 200);
}

TEST_F(ExpiryThrottle, ExpiredTokensDoNotFeedTheFailedAuthThrottle) {
    auto t = made(json{{"expiresAt", m_clock.in(1h)}}.dump());
    m_clock.advance(2h);
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(list(t["key"]).status, 401);
    }
    // The bucket (burst 2) is still full: two guesses are answered 401, the third is throttled.
    auto guess = tokend::crypto::new_token();
    EXPECT_EQ(list(guess).status, 401);
    EXPECT_EQ(list(guess).status, 401);
    EXPECT_EQ(list(guess).status, 429);
}

TEST_F(Expiry, CallerThatExpiresGivesItsExpiryToAnOmittedOne) {
    auto caller = made(json{{"expiresAt", m_clock.in(7 * 24h)}}.dump());
    auto child = made("{}", caller["key"]);
    EXPECT_EQ(child["expiresAt"], caller["expiresAt"]);
    auto never = made(R"({"expiresAt":null})", caller["key"]);
    EXPECT_EQ(never["expiresAt"], caller["expiresAt"]);
}

TEST_F(Expiry, ALaterExpiryThanTheCallersIsForbiddenAndChangesNothing) {
    auto caller = made(json{{"expiresAt", m_clock.in(7 * 24h)}}.dump());
    auto before = live_tokens();
    auto reply = create(caller["key"], json{{"expiresAt", m_clock.in(7 * 24h + 1ms)}}.dump());
    expect_error(reply, 403);
    EXPECT_NE(message_of(reply).find(caller["expiresAt"].get<std::string>()), std::string::npos);
    EXPECT_EQ(live_tokens(), before);
    EXPECT_EQ(create(caller["key"], json{{"expiresAt", m_clock.in(24h)}}.dump()).status, 200);
}

TEST_F(ExpiryPolicy, OmittedExpiryBecomesNowPlusTheMaximum) {
    EXPECT_EQ(made("{}")["expiresAt"], m_clock.in(90 * 24h));
    EXPECT_EQ(made(R"({"expiresAt":null})")["expiresAt"], m_clock.in(90 * 24h));
}

TEST_F(ExpiryPolicy, ALaterExpiryIsRefusedWithTheLatestAllowedMoment) {
    auto before = live_tokens();
    auto reply = create(m_full, json{{"expiresAt", m_clock.in(90 * 24h + 1s)}}.dump());
    expect_error(reply, 400);
    EXPECT_NE(message_of(reply).find("expiresAt"), std::string::npos);
    EXPECT_NE(message_of(reply).find(m_clock.in(90 * 24h)), std::string::npos) << message_of(reply);
    EXPECT_EQ(live_tokens(), before);
    EXPECT_EQ(made(json{{"expiresAt", m_clock.in(90 * 24h)}}.dump())["expiresAt"],
              m_clock.in(90 * 24h));
}

TEST_F(ExpiryPolicy, ACallerEarlierThanThePolicyWins) {
    auto caller = made(json{{"expiresAt", m_clock.in(80 * 24h)}}.dump());
    m_clock.advance(std::chrono::days(20)); // the policy now allows up to day 110
    EXPECT_EQ(made("{}", caller["key"])["expiresAt"], caller["expiresAt"]);
}

TEST_F(Expiry, TokensExpiredLongerThanTheRetentionArePurged) {
    auto t = made(json{{"expiresAt", m_clock.in(1h)}}.dump());
    m_clock.advance(1h + std::chrono::days(29));
    std::this_thread::sleep_for(100ms); // several purge rounds (every 20 ms)
    EXPECT_TRUE(listed(t["_id"]).is_object()) << "purged before the 30-day retention";
    m_clock.advance(std::chrono::days(1) + 1ms);
    for (int i = 0; i < 200 && listed(t["_id"]).is_object(); ++i) {
        std::this_thread::sleep_for(10ms);
    }
    EXPECT_TRUE(listed(t["_id"]).is_null()) << "still listed after the retention";
}
