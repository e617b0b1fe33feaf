// SPEC §11.3 on the real App: rotation by id and through self, the grace period, at most two
// working keys, the lost-response rule, expired tokens, revocation, and bad input.
#include "lifecycle_fixture.hpp"

using namespace tokend::test;
using nlohmann::json;
using tokend::AppConfig;

namespace {
class Rotation : public LifecycleApi {
protected:
    Rotation() : LifecycleApi(slow_flush()) {}
    // lastUsedAt is not flushed during a test, so "the current key was used" must come from
    // the usage recorder's memory.
    static AppConfig slow_flush() {
        AppConfig config;
        config.usage_flush_interval = std::chrono::hours(1);
        return config;
    }

    void SetUp() override {
        auto t = made(R"({"name":"ci"})");
        m_id = t["_id"];
        m_key = t["key"];
    }
    // Rotates m_id with m_full; returns data[0] (with "key").
    json rotated(const std::string& body = "") { return first(rotate(m_full, m_id, body)); }

    std::string m_id;
    std::string m_key;
};
} // namespace

TEST_F(Rotation, KeepsTheIdAndReturnsANewKeyOnce) {
    auto before = listed(m_id);
    auto reply = rotate(m_full, m_id);
    auto t = first(reply);
    auto keys = kTokenKeys;
    keys.insert("key");
    EXPECT_EQ(keys_of(t), keys);
    EXPECT_EQ(reply.header("Cache-Control"), "no-store");
    EXPECT_EQ(t["_id"], m_id);
    EXPECT_NE(t["key"], m_key);
    EXPECT_NE(t["displayKey"], before["displayKey"]);
    EXPECT_EQ(t["rotatedAt"], m_clock.now_text());
    EXPECT_EQ(t["previousKeyExpiresAt"], nullptr);
    EXPECT_EQ(t["name"], "ci");
    EXPECT_EQ(t["createdAt"], before["createdAt"]);
    EXPECT_EQ(t["permissions"], before["permissions"]);
    EXPECT_EQ(listed(m_id)["displayKey"], t["displayKey"]);
}

TEST_F(Rotation, WithoutGraceTheOldKeyFailsAtOnceLikeAnUnknownToken) {
    auto t = rotated();
    auto old = list(m_key);
    expect_error(old, 401);
    EXPECT_EQ(message_of(old), "The access token is not valid.");
    EXPECT_EQ(status_of(t["key"]), 200);
}

TEST_F(Rotation, DuringTheGraceBothKeysWorkAndAfterItOnlyTheNewOne) {
    auto t = rotated(R"({"gracePeriodSeconds":3600})");
    EXPECT_EQ(t["previousKeyExpiresAt"], m_clock.in(1h));
    EXPECT_EQ(listed(m_id)["previousKeyExpiresAt"], m_clock.in(1h));
    EXPECT_EQ(status_of(m_key), 200);
    EXPECT_EQ(status_of(t["key"]), 200);
    m_clock.advance(1h - 1ms);
    EXPECT_EQ(status_of(m_key), 200);
    m_clock.advance(1ms);
    EXPECT_EQ(message_of(list(m_key)), "The access token is not valid.");
    EXPECT_EQ(status_of(t["key"]), 200);
    EXPECT_EQ(listed(m_id)["previousKeyExpiresAt"], nullptr);
}

TEST_F(Rotation, ATokenHasAtMostTwoWorkingKeys) {
    auto second = rotated(R"({"gracePeriodSeconds":3600})");
    EXPECT_EQ(status_of(second["key"]), 200); // used: the lost-response rule does not apply
    auto third = rotated(R"({"gracePeriodSeconds":3600})");
    EXPECT_EQ(status_of(m_key), 401);
    EXPECT_EQ(status_of(second["key"]), 200);
    EXPECT_EQ(status_of(third["key"]), 200);
}

TEST_F(Rotation, LostResponseReplacesTheUnusedKeyAndKeepsTheOriginalDeadline) {
    auto lost = rotated(R"({"gracePeriodSeconds":3600})");
    m_clock.advance(10min);
    auto again = rotated(R"({"gracePeriodSeconds":7200})");
    EXPECT_EQ(again["previousKeyExpiresAt"], lost["previousKeyExpiresAt"]);
    EXPECT_EQ(status_of(m_key), 200); // the client's old key still works
    EXPECT_EQ(status_of(lost["key"]), 401);
    EXPECT_EQ(status_of(again["key"]), 200);
    m_clock.advance(50min);
    EXPECT_EQ(status_of(m_key), 401);
}

TEST_F(Rotation, AUseOfTheNewKeyNotYetFlushedEndsTheLostResponseRule) {
    auto second = rotated(R"({"gracePeriodSeconds":3600})");
    EXPECT_EQ(status_of(second["key"]), 200); // recorded in memory only (flush every hour)
    auto third = rotated(R"({"gracePeriodSeconds":60})");
    EXPECT_EQ(third["previousKeyExpiresAt"], m_clock.in(60s));
    EXPECT_EQ(status_of(m_key), 401);
    EXPECT_EQ(status_of(second["key"]), 200);
}

TEST_F(Rotation, AUseOfTheOldKeyDoesNotCountAsUseOfTheNewOne) {
    auto lost = rotated(R"({"gracePeriodSeconds":3600})");
    EXPECT_EQ(status_of(m_key), 200);
    auto again = rotated(R"({"gracePeriodSeconds":3600})");
    EXPECT_EQ(status_of(lost["key"]), 401);
    EXPECT_EQ(status_of(m_key), 200);
    EXPECT_EQ(again["previousKeyExpiresAt"], lost["previousKeyExpiresAt"]);
}

TEST_F(Rotation, RevokingKillsBothKeys) {
    auto t = rotated(R"({"gracePeriodSeconds":3600})");
    EXPECT_EQ(revoke(m_full, m_id).status, 200);
    EXPECT_EQ(status_of(m_key), 401);
    EXPECT_EQ(status_of(t["key"]), 401);
}

TEST_F(Rotation, ThroughSelfNeedsNoPermission) {
    auto reader = made(R"({"permissions":["analytics:read"]})");
    auto reply = rotate_self(reader["key"], R"({"gracePeriodSeconds":0})");
    auto t = first(reply);
    EXPECT_EQ(t["_id"], reader["_id"]);
    EXPECT_EQ(reply.header("Cache-Control"), "no-store");
    EXPECT_EQ(status_of(reader["key"]), 401);
    EXPECT_EQ(status_of(t["key"]), 200);
}

TEST_F(Rotation, AnExpiredTokenNeedsANewFutureExpiryById) {
    auto t = made(json{{"expiresAt", m_clock.in(1h)}}.dump());
    m_clock.advance(2h);
    auto reply = rotate(m_full, t["_id"]);
    expect_error(reply, 400);
    EXPECT_NE(message_of(reply).find("expiresAt"), std::string::npos);
    expect_error(rotate(m_full, t["_id"], R"({"expiresAt":null})"), 400);
    EXPECT_EQ(listed(t["_id"])["displayKey"], t["displayKey"]);
    auto renewed = first(rotate(m_full, t["_id"], json{{"expiresAt", m_clock.in(24h)}}.dump()));
    EXPECT_EQ(renewed["state"], "active");
    EXPECT_EQ(renewed["expiresAt"], m_clock.in(24h));
    EXPECT_EQ(status_of(renewed["key"]), 200);
}

TEST_F(Rotation, AnExpiredTokenCannotRotateItself) {
    auto t = made(json{{"expiresAt", m_clock.in(1h)}}.dump());
    m_clock.advance(1h);
    auto reply = rotate_self(t["key"], json{{"expiresAt", m_clock.in(24h)}}.dump());
    expect_error(reply, 401);
    EXPECT_EQ(message_of(reply), "Access token expired.");
}

TEST_F(Rotation, KeepsTheExpiryUnlessANewOneIsSent) {
    auto t = made(json{{"expiresAt", m_clock.in(48h)}}.dump());
    EXPECT_EQ(first(rotate(m_full, t["_id"]))["expiresAt"], t["expiresAt"]);
    EXPECT_EQ(
        first(rotate(m_full, t["_id"], json{{"expiresAt", m_clock.in(1h)}}.dump()))["expiresAt"],
        m_clock.in(1h));
}

TEST_F(Rotation, NeverGivesTheTargetALongerLifeThanTheCaller) {
    auto caller = made(json{{"expiresAt", m_clock.in(24h)}}.dump());
    // The target never expires; rotated by a caller that does, it gets the caller's expiry.
    EXPECT_EQ(first(rotate(caller["key"], m_id))["expiresAt"], caller["expiresAt"]);
    auto reply = rotate(caller["key"], m_id, json{{"expiresAt", m_clock.in(48h)}}.dump());
    expect_error(reply, 403);
    // Through self a token cannot extend its own life either.
    expect_error(rotate_self(caller["key"], json{{"expiresAt", m_clock.in(48h)}}.dump()), 403);
}

TEST_F(Rotation, FollowsTheNotFoundRulesOfDelete) {
    m_server.create_account("bob@example.com");
    auto bob = m_server.create_token("bob@example.com");
    expect_error(rotate(bob, m_id), 404);
    expect_error(rotate(m_full, "0123456789abcdef01234567"), 404);
    auto doomed = made("{}");
    revoke(m_full, doomed["_id"]);
    expect_error(rotate(m_full, doomed["_id"]), 404);
    expect_error(rotate(m_full, "not-an-id"), 400);
    EXPECT_EQ(status_of(m_key), 200);
}

TEST_F(Rotation, NeedsApiKeysWriteAndATargetWithinTheCaller) {
    auto reader = made(R"({"permissions":["api-keys:read"]})");
    expect_error(rotate(reader["key"], m_id), 403);
    auto writer = made(R"({"permissions":["api-keys:write"]})");
    auto reply = rotate(writer["key"], m_id); // m_id holds `*`
    expect_error(reply, 403);
    EXPECT_EQ(status_of(m_key), 200);
}

TEST_F(Rotation, BadInputIsRefusedNamingTheFieldAndChangesNothing) {
    auto before = live_tokens();
    const std::pair<const char*, const char*> cases[] = {
        {R"({"gracePeriodSeconds":-1})", "gracePeriodSeconds"},
        {R"({"gracePeriodSeconds":604801})", "gracePeriodSeconds"},
        {R"({"gracePeriodSeconds":"60"})", "gracePeriodSeconds"},
        {R"({"gracePeriodSeconds":1.5})", "gracePeriodSeconds"},
        {R"({"gracePeriodSeconds":null})", "gracePeriodSeconds"},
        {R"({"gracePeriodSeconds":1e30})", "gracePeriodSeconds"},
        {R"({"expiresAt":"yesterday"})", "expiresAt"},
        {R"({"expiresAt":"2001-01-01T00:00:00Z"})", "expiresAt"},
        {R"({"expiresAt":5})", "expiresAt"},
        {R"({"grace":60})", "grace"},
        {R"([])", "object"},
    };
    for (const auto& [body, field] : cases) {
        auto reply = rotate(m_full, m_id, body);
        expect_error(reply, 400);
        EXPECT_NE(message_of(reply).find(field), std::string::npos) << body << message_of(reply);
    }
    EXPECT_EQ(live_tokens(), before);
    EXPECT_EQ(status_of(m_key), 200);
    EXPECT_EQ(
        first(rotate(m_full, m_id, R"({"gracePeriodSeconds":604800})"))["previousKeyExpiresAt"],
        m_clock.in(std::chrono::days(7)));
}

TEST_F(Rotation, TheGateAcceptsBothKeysDuringTheGrace) {
    auto t = rotated(R"({"gracePeriodSeconds":60})");
    for (const std::string& key : {m_key, t["key"].get<std::string>()}) {
        auto reply = m_server.get("/api/v1/auth/check?permission=websites:read", key);
        EXPECT_EQ(reply.status, 204) << reply.raw;
        EXPECT_EQ(reply.header("X-Tokend-Token"), m_id);
    }
    m_clock.advance(60s);
    auto reply = m_server.get("/api/v1/auth/check?permission=websites:read", m_key);
    EXPECT_EQ(reply.status, 401);
    EXPECT_EQ(reply.header("X-Tokend-Reason"), "invalid_token");
}
