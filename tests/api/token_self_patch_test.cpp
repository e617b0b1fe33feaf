// SPEC §11.4 (the token itself) and §11.5 (PATCH) on the real App, and §11.9's reasons on the
// gate's refusals.
#include "lifecycle_fixture.hpp"

using namespace tokend::test;
using nlohmann::json;
using tokend::AppConfig;

namespace {
class SelfAndPatch : public PatchTarget {};

class GateReasons : public LifecycleApi {
protected:
    GateReasons()
        : LifecycleApi([] {
              AppConfig config;
              config.failed_auth = {1, 0.0001};
              return config;
          }()) {}
    Reply check(const std::string& key, const std::string& query) {
        return m_server.get("/api/v1/auth/check?" + query, key);
    }
};
} // namespace

TEST_F(SelfAndPatch, SelfShowsTheCallingTokenWithItsAccount) {
    auto t = first(self(m_key));
    auto keys = kTokenKeys;
    keys.insert("accountId");
    EXPECT_EQ(keys_of(t), keys);
    EXPECT_EQ(t["_id"], m_id);
    EXPECT_EQ(t["accountId"], m_alice_id);
    EXPECT_EQ(t["name"], "ci");
    EXPECT_FALSE(t.contains("key"));
}

TEST_F(SelfAndPatch, SelfNeedsNoPermission) {
    auto bare = made(R"({"permissions":["analytics:read"]})");
    EXPECT_EQ(first(self(bare["key"]))["_id"], bare["_id"]);
}

TEST_F(SelfAndPatch, DeletingSelfRevokesTheCallingToken) {
    auto bare = made(R"({"permissions":["analytics:read"]})");
    auto reply = m_server.del(kSelfPath, bare["key"]);
    EXPECT_EQ(first(reply)["message"], "Access token deleted successfully");
    EXPECT_EQ(status_of(bare["key"]), 401);
    EXPECT_TRUE(listed(bare["_id"]).is_null());
    EXPECT_EQ(status_of(m_key), 200);
}

TEST_F(SelfAndPatch, SelfIsNeverReadAsAMalformedId) {
    auto reply = patch(m_full, "self", R"({"name":"x"})");
    EXPECT_EQ(reply.status, 405) << reply.raw;
    EXPECT_EQ(reply.header("Allow"), "GET, DELETE");
    EXPECT_EQ(m_server.post(kSelfPath, m_full, "{}").status, 405);
}

TEST_F(SelfAndPatch, PatchRenames) {
    auto t = first(patch(m_full, m_id, R"({"name":"  deploy  "})"));
    EXPECT_EQ(keys_of(t), kTokenKeys);
    EXPECT_EQ(t["name"], "deploy");
    EXPECT_EQ(listed(m_id)["name"], "deploy");
    EXPECT_EQ(first(patch(m_full, m_id, R"({"name":null})"))["name"], nullptr);
    EXPECT_EQ(status_of(m_key), 200); // the key is unchanged
}

TEST_F(SelfAndPatch, PatchSetsAndShortensTheExpiry) {
    auto t = first(patch(m_full, m_id, json{{"expiresAt", m_clock.in(48h)}}.dump()));
    EXPECT_EQ(t["expiresAt"], m_clock.in(48h));
    t = first(patch(m_full, m_id, json{{"expiresAt", m_clock.in(1h)}}.dump()));
    EXPECT_EQ(t["expiresAt"], m_clock.in(1h));
    m_clock.advance(1h);
    EXPECT_EQ(status_of(m_key), 401);
    EXPECT_EQ(listed(m_id)["state"], "expired");
}

TEST_F(SelfAndPatch, PatchCannotBringBackAnExpiredToken) {
    patch(m_full, m_id, json{{"expiresAt", m_clock.in(1h)}}.dump());
    m_clock.advance(2h);
    expect_refused(json{{"expiresAt", m_clock.in(1h)}}.dump(), 400, "expiresAt");
    EXPECT_EQ(first(patch(m_full, m_id, R"({"name":"old"})"))["name"], "old");
}

TEST_F(SelfAndPatch, PatchCannotGiveALongerLifeThanTheCallers) {
    auto caller = made(json{{"expiresAt", m_clock.in(24h)}}.dump());
    expect_refused(json{{"expiresAt", m_clock.in(25h)}}.dump(), 403, "expiresAt", caller["key"]);
    expect_refused(R"({"expiresAt":null})", 403, "expiresAt", caller["key"]);
    EXPECT_EQ(
        first(patch(caller["key"], m_id, json{{"expiresAt", m_clock.in(2h)}}.dump()))["expiresAt"],
        m_clock.in(2h));
}

TEST_F(SelfAndPatch, PatchRefusesBadInputNamingTheFieldAndChangesNothing) {
    expect_refused(R"({"permissions":["*"]})", 400, "permissions");
    expect_refused(R"({"websiteIds":[]})", 400, "websiteIds");
    expect_refused(R"({"allowedIps":["10.0.0.0/33"]})", 400, "allowedIps[0]");
    expect_refused(R"({"rateLimit":{"limit":0,"windowSeconds":1}})", 400, "rateLimit.limit");
    expect_refused(R"({"colour":"red"})", 400, "colour");
    expect_refused(R"({"name":5})", 400, "name");
    expect_refused(R"({"name":"ok","expiresAt":"soon"})", 400, "expiresAt");
    expect_refused(json{{"expiresAt", m_clock.now_text()}}.dump(), 400, "expiresAt");
}

TEST_F(SelfAndPatch, PatchFollowsTheRulesOfDelete) {
    m_server.create_account("bob@example.com");
    auto bob = m_server.create_token("bob@example.com");
    expect_error(patch(bob, m_id, R"({"name":"x"})"), 404);
    expect_error(patch(m_full, "0123456789abcdef01234567", R"({"name":"x"})"), 404);
    expect_error(patch(m_full, "nope", R"({"name":"x"})"), 400);
    expect_error(patch(m_key, m_id, R"({"name":"x"})"), 403); // no api-keys:write
    auto writer = made(R"({"permissions":["api-keys:write"]})");
    expect_error(patch(writer["key"], m_id, R"({"name":"x"})"), 403); // target exceeds it
    EXPECT_EQ(listed(m_id)["name"], "ci");
}

TEST_F(GateReasons, EveryRefusalSaysWhy) {
    auto reader = made(R"({"permissions":["websites:read"],"websiteIds":[]})");
    auto site = m_server.create_website("alice@example.com", "example.com");
    auto scoped = made(json{{"websiteIds", {site}}}.dump());
    auto other = m_server.create_website("alice@example.com", "other.example.com");
    auto soon = made(json{{"expiresAt", m_clock.in(1h)}}.dump());

    EXPECT_EQ(check(reader["key"], "permission=websites:write").header("X-Tokend-Reason"),
              "insufficient_permission");
    EXPECT_EQ(check(scoped["key"], "permission=websites:read&websiteId=" + other)
                  .header("X-Tokend-Reason"),
              "website_forbidden");
    EXPECT_EQ(
        check(scoped["key"], "permission=websites:read&websiteId=zz").header("X-Tokend-Reason"),
        "website_forbidden");
    EXPECT_EQ(check("", "permission=websites:read").header("X-Tokend-Reason"), "invalid_token");
    m_clock.advance(1h);
    auto expired = check(soon["key"], "permission=websites:read");
    EXPECT_EQ(expired.status, 401);
    EXPECT_EQ(expired.header("X-Tokend-Reason"), "expired");
    auto guess = check("dft_not_a_token", "permission=websites:read");
    EXPECT_EQ(guess.status, 401);
    EXPECT_EQ(guess.header("X-Tokend-Reason"), "invalid_token");
    auto throttled = check("dft_not_a_token", "permission=websites:read");
    EXPECT_EQ(throttled.status, 403);
    EXPECT_EQ(throttled.header("X-Tokend-Reason"), "throttled");
}

TEST_F(GateReasons, AnAllowedAnswerNamesTheExpiry) {
    auto t = made(R"({"expiresAt":"2099-01-01T00:00:00Z"})");
    auto reply = check(t["key"], "permission=websites:read");
    EXPECT_EQ(reply.status, 204);
    EXPECT_EQ(reply.header("X-Tokend-Token-Expires"), "2099-01-01T00:00:00.000Z");
    EXPECT_FALSE(check(m_full, "permission=websites:read").headers.count("X-Tokend-Token-Expires"));
    EXPECT_FALSE(check(m_full, "permission=websites:read").headers.count("X-Tokend-Reason"));
}
