// SPEC §12: every token change leaves exactly one event with the right name, actor and target,
// in the same transaction; a refused request leaves nothing unless §12 names a denied event;
// the list pages and filters like §11.11's lists, and bad filters are 400s that change nothing.
#include <gtest/gtest.h>

#include <set>

#include "api/token_fixture.hpp"
#include "core/ip_range.hpp"

namespace tokend::test {
namespace {

const std::string kAudit = "/api/v1/admin/audit-events";

class AuditApi : public TokenApi {
protected:
    explicit AuditApi(AppConfig config = {}) : TokenApi(std::move(config)) {
        m_full_id = id_of(m_full);
    }

    nlohmann::json events(const std::string& query = "") {
        return data_of(m_server.get(kAudit + query, m_full));
    }
    // Events whose name is `name`, newest first.
    nlohmann::json named(const std::string& name) { return events("?limit=100&event=" + name); }

    std::string m_full_id;
};

TEST_F(AuditApi, EachTokenChangeLeavesOneEventWithActorAndTarget) {
    auto made = created(m_full, R"({"name":"ci"})");
    std::string id = made["_id"];
    auto creates = named("token.created");
    ASSERT_EQ(creates.size(), 2u); // the fixture's own token, then this one
    const auto& e = creates[0];
    EXPECT_EQ(e["outcome"], "success");
    EXPECT_EQ(e["actor"]["type"], "token");
    EXPECT_EQ(e["actor"]["id"], m_full_id);
    EXPECT_EQ(e["actor"]["accountId"], m_alice_id);
    EXPECT_EQ(e["target"]["type"], "token");
    EXPECT_EQ(e["target"]["id"], id);
    EXPECT_EQ(e["target"]["name"], "ci");
    EXPECT_EQ(e["target"]["displayKey"], made["displayKey"]);
    EXPECT_TRUE(is_object_id(e["_id"]));
    EXPECT_TRUE(is_timestamp(e["createdAt"]));
    EXPECT_EQ(e["ip"], "127.0.0.1");
    EXPECT_TRUE(e["requestId"].is_string());

    auto patched = m_server.send("PATCH", kTokensPath + "/" + id,
                                 {{"Authorization", "Bearer " + m_full}}, R"({"name":"ci2"})");
    EXPECT_EQ(patched.status, 200) << patched.raw;
    auto updates = named("token.updated");
    ASSERT_EQ(updates.size(), 1u);
    EXPECT_EQ(updates[0]["target"]["id"], id);
    EXPECT_EQ(updates[0]["details"]["fields"], "name");

    auto rotated = m_server.post(kTokensPath + "/" + id + "/rotate", m_full, "{}");
    EXPECT_EQ(rotated.status, 200) << rotated.raw;
    auto rotations = named("token.rotated");
    ASSERT_EQ(rotations.size(), 1u);
    EXPECT_EQ(rotations[0]["target"]["id"], id);
    EXPECT_EQ(rotations[0]["actor"]["id"], m_full_id);

    EXPECT_EQ(revoke(m_full, id).status, 200);
    auto revokes = named("token.revoked");
    ASSERT_EQ(revokes.size(), 1u);
    EXPECT_EQ(revokes[0]["target"]["id"], id);
    EXPECT_EQ(revokes[0]["details"]["via"], "api");
    // With the fixture's account.created and token.created.
    EXPECT_EQ(events("?limit=100").size(), 6u);
}

TEST_F(AuditApi, RefusedChangesLeaveNoEvent) {
    auto before = events("?limit=100").size();
    expect_error(create(m_full, R"({"permissions":[]})"), 400);
    expect_error(revoke(m_full, "000000000000000000000000"), 404);
    expect_error(m_server.post(kTokensPath, "", "{}"), 401);
    auto reader = m_server.create_token("alice@example.com", "api-keys:read");
    expect_error(create(reader, "{}"), 403);
    // create_token itself leaves one token.created (a seeding change, recorded like any other).
    EXPECT_EQ(events("?limit=100").size(), before + 1);
}

TEST_F(AuditApi, IpDeniedIsRecordedOncePerTokenAndAddress) {
    auto made = created(m_full, R"({"allowedIps":["10.9.9.0/24"]})");
    std::string key = made.value("key", "");
    for (int i = 0; i < 3; ++i) {
        auto refused = m_server.send(
            "GET", kTokensPath, {{"Authorization", "Bearer " + key}, {"User-Agent", "probe/1"}});
        EXPECT_EQ(refused.status, 403);
    }
    auto denied = named("token.ip_denied");
    ASSERT_EQ(denied.size(), 1u);
    EXPECT_EQ(denied[0]["outcome"], "denied");
    EXPECT_EQ(denied[0]["target"]["id"], made["_id"]);
    EXPECT_EQ(denied[0]["userAgent"], "probe/1"); // like any other event (SPEC §12)
    EXPECT_TRUE(denied[0]["requestId"].is_string()) << denied[0].dump();
    EXPECT_EQ(events("?outcome=denied").size(), 1u);
}

TEST_F(AuditApi, PagesWalkNewestFirstAndFiltersNarrow) {
    for (int i = 0; i < 4; ++i) {
        created(m_full, "{}");
    }
    std::vector<std::string> seen;
    std::string query = "?limit=2";
    for (int page = 0; page < 10; ++page) {
        auto reply = m_server.get(kAudit + query, m_full);
        for (const auto& e : data_of(reply)) {
            seen.push_back(e["_id"]);
        }
        ASSERT_TRUE(reply.body.contains("pagination")) << reply.raw;
        if (!reply.body["pagination"]["hasMore"].get<bool>()) {
            EXPECT_TRUE(reply.body["pagination"]["cursor"].is_null());
            break;
        }
        EXPECT_FALSE(reply.header("Link").empty());
        query = "?limit=2&cursor=" + reply.body["pagination"]["cursor"].get<std::string>();
    }
    EXPECT_EQ(seen.size(), 6u); // the fixture's account.created and token.created, then 4 creates
    auto all = events("?limit=100");
    ASSERT_EQ(all.size(), 6u);
    for (std::size_t i = 0; i < all.size(); ++i) {
        EXPECT_EQ(all[i]["_id"], seen[i]);
        if (i > 0) {
            EXPECT_GE(all[i - 1]["createdAt"].get<std::string>(),
                      all[i]["createdAt"].get<std::string>());
        }
    }
    auto mine = events("?tokenId=" + m_full_id);
    ASSERT_EQ(mine.size(), 5u); // by or about it: its own creation and the four it made
    EXPECT_EQ(events("?event=token.revoked").size(), 0u);
    EXPECT_EQ(events("?since=2200-01-01T00:00:00Z").size(), 0u);
    EXPECT_EQ(events("?until=2000-01-01T00:00:00Z").size(), 0u);
    EXPECT_EQ(events("?since=2000-01-01T00:00:00Z&limit=100").size(), 6u);
}

TEST_F(AuditApi, BadFiltersAre400s) {
    for (const char* query :
         {"?event=token.nope", "?outcome=maybe", "?since=yesterday", "?until=2027-13-01T00:00:00Z",
          "?tokenId=xyz", "?limit=0", "?limit=101", "?cursor=garbage", "?event=a&event=b"}) {
        expect_error(m_server.get(kAudit + query, m_full), 400);
    }
    // A cursor from one filter does not continue another.
    created(m_full, "{}");
    auto page = m_server.get(kAudit + "?limit=1", m_full);
    std::string cursor = page.body["pagination"]["cursor"];
    expect_error(m_server.get(kAudit + "?limit=1&outcome=success&cursor=" + cursor, m_full), 400);
}

TEST_F(AuditApi, NeedsApiKeysRead) {
    auto analytics = m_server.create_token("alice@example.com", "analytics:read");
    expect_error(m_server.get(kAudit, analytics), 403);
    expect_error(m_server.get(kAudit), 401);
}

TEST_F(AuditApi, AnotherAccountSeesNone) {
    m_server.create_account("bob@example.com");
    auto bob = m_server.create_token("bob@example.com");
    created(m_full, "{}");
    auto seen = data_of(m_server.get(kAudit, bob));
    ASSERT_EQ(seen.size(), 2u); // only bob's own account.created and token.created
    for (const auto& e : seen) {
        EXPECT_NE(e["target"]["id"], m_alice_id);
        EXPECT_NE(e["actor"]["accountId"], m_alice_id);
    }
}

TEST_F(AuditApi, CliAccountChangesAreRecordedWithTheCliActor) {
    auto made = named("account.created");
    ASSERT_EQ(made.size(), 1u);
    EXPECT_EQ(made[0]["actor"]["type"], "cli");
    EXPECT_EQ(made[0]["target"]["type"], "account");
    EXPECT_EQ(made[0]["target"]["id"], m_alice_id);
    m_server.app().accounts().set_password("alice@example.com", "a long passphrase");
    auto set = named("account.password_set");
    ASSERT_EQ(set.size(), 1u);
    EXPECT_EQ(set[0]["actor"]["type"], "cli");
    EXPECT_EQ(set[0]["target"]["id"], m_alice_id);
}

TEST_F(AuditApi, WebsiteAndTeamChangesLeaveOneEventEachInTheOwnersLog) {
    m_server.create_account("bob@example.com");
    auto site = m_server.post("/api/v1/admin/websites", m_full, R"({"domain":"shop.example"})");
    ASSERT_EQ(site.status, 200) << site.raw;
    std::string id = data_of(site)[0]["_id"];
    auto put = m_server.send("PUT", "/api/v1/admin/websites/" + id,
                             {{"Authorization", "Bearer " + m_full}}, R"({"name":"Shop"})");
    ASSERT_EQ(put.status, 200) << put.raw;
    auto added = m_server.post("/api/v1/admin/websites/" + id + "/team", m_full,
                               R"({"email":"bob@example.com","role":"viewer"})");
    ASSERT_EQ(added.status, 200) << added.raw;
    std::string bob_id = data_of(added)[0]["userId"];
    auto removed = m_server.del("/api/v1/admin/websites/" + id + "/team", m_full,
                                nlohmann::json{{"userId", bob_id}}.dump());
    ASSERT_EQ(removed.status, 200) << removed.raw;
    expect_error(m_server.del("/api/v1/admin/websites/" + id, m_full), 403); // API never deletes

    for (const char* name : {"website.created", "website.updated"}) {
        auto e = named(name);
        ASSERT_EQ(e.size(), 1u) << name;
        EXPECT_EQ(e[0]["actor"]["id"], m_full_id);
        EXPECT_EQ(e[0]["target"]["type"], "website");
        EXPECT_EQ(e[0]["target"]["id"], id);
    }
    EXPECT_EQ(named("website.updated")[0]["target"]["name"], "Shop");
    for (const char* name : {"member.added", "member.removed"}) {
        auto e = named(name);
        ASSERT_EQ(e.size(), 1u) << name;
        EXPECT_EQ(e[0]["target"]["type"], "member");
        EXPECT_EQ(e[0]["target"]["id"], bob_id);
        EXPECT_EQ(e[0]["details"]["websiteId"], id);
    }
    EXPECT_EQ(named("member.added")[0]["details"]["role"], "viewer");
    EXPECT_EQ(named("website.deleted").size(), 0u);
    m_server.app().websites().delete_any(id);
    auto deleted = named("website.deleted");
    ASSERT_EQ(deleted.size(), 1u);
    EXPECT_EQ(deleted[0]["actor"]["type"], "cli");
}

TEST_F(AuditApi, SignInsSignOutsAndFailuresAreRecordedButNotAnUnknownEmail) {
    const std::string password = "a long passphrase";
    m_server.app().accounts().set_password("alice@example.com", password);
    auto sign_in = [this](const std::string& email, const std::string& secret) {
        return m_server.send("POST", "/api/v1/session", {},
                             nlohmann::json{{"email", email}, {"password", secret}}.dump());
    };
    EXPECT_EQ(sign_in("alice@example.com", "not it at all").status, 401);
    EXPECT_EQ(sign_in("typed-my-password@example.com", "not it at all").status, 401);
    auto ok = sign_in("alice@example.com", password);
    ASSERT_EQ(ok.status, 200) << ok.raw;
    std::string set_cookie = ok.header("Set-Cookie");
    std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
    auto out = m_server.send(
        "DELETE", "/api/v1/session",
        {{"Cookie", cookie}, {"Origin", "http://127.0.0.1:" + std::to_string(m_server.port())}},
        "");
    ASSERT_EQ(out.status, 200) << out.raw;

    auto failed = named("session.signin_failed");
    ASSERT_EQ(failed.size(), 1u); // the unknown email's failure is in no account's log
    EXPECT_EQ(failed[0]["outcome"], "denied");
    EXPECT_EQ(failed[0]["actor"]["type"], "anonymous");
    EXPECT_EQ(failed[0]["target"]["id"], m_alice_id);
    for (const char* name : {"session.signed_in", "session.signed_out"}) {
        auto e = named(name);
        ASSERT_EQ(e.size(), 1u) << name;
        EXPECT_EQ(e[0]["actor"]["type"], "session");
        EXPECT_EQ(e[0]["actor"]["id"], m_alice_id);
        EXPECT_EQ(e[0]["ip"], "127.0.0.1");
    }
    std::string all = events("?limit=100").dump();
    EXPECT_EQ(all.find("typed-my-password"), std::string::npos);
    EXPECT_EQ(all.find(cookie.substr(cookie.find('=') + 1)), std::string::npos);
}

TEST(AuditFirstRun, SetupRecordsTheOwnerAccountSetupAndSignIn) {
    TestServer server;
    auto code = server.app().sessions().open_setup();
    ASSERT_TRUE(code.has_value());
    nlohmann::json body = {
        {"code", *code}, {"email", "owner@example.com"}, {"password", "a long passphrase"}};
    auto reply = server.send("POST", "/api/v1/setup", {}, body.dump());
    ASSERT_EQ(reply.status, 200) << reply.raw;
    std::string set_cookie = reply.header("Set-Cookie");
    auto list = server.send("GET", kAudit + "?limit=100",
                            {{"Cookie", set_cookie.substr(0, set_cookie.find(';'))}}, "");
    ASSERT_EQ(list.status, 200) << list.raw;
    std::vector<std::string> names;
    for (const auto& e : data_of(list)) {
        names.push_back(e["event"]);
    }
    // Within one millisecond their order is the ids', so compare as a set.
    ASSERT_EQ(names.size(), 3u) << list.raw;
    EXPECT_EQ(std::set<std::string>(names.begin(), names.end()),
              (std::set<std::string>{"account.created", "setup.completed", "session.signed_in"}));
    for (const auto& e : data_of(list)) {
        EXPECT_EQ(e["actor"]["type"], e["event"] == "session.signed_in" ? "session" : "anonymous");
    }
}

} // namespace
} // namespace tokend::test

namespace tokend::test {
namespace {

TEST_F(AuditApi, RateLimitedIsRecordedOncePerTokenAndAddress) {
    auto made = created(m_full, R"({"rateLimit":{"limit":1,"windowSeconds":3600}})");
    std::string key = made.value("key", "");
    EXPECT_EQ(m_server.get(kTokensPath, key).status, 200);
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(m_server.get(kTokensPath, key).status, 429);
    }
    auto limited = named("token.rate_limited");
    ASSERT_EQ(limited.size(), 1u);
    EXPECT_EQ(limited[0]["outcome"], "denied");
    EXPECT_EQ(limited[0]["target"]["id"], made["_id"]);
    EXPECT_EQ(limited[0]["ip"], "127.0.0.1");
}

AppConfig behind_local_proxy() {
    AppConfig config;
    config.server.trusted_proxies = {*core::parse_ip_range("127.0.0.0/8")};
    return config;
}

class AuditBehindProxy : public AuditApi {
protected:
    AuditBehindProxy() : AuditApi(behind_local_proxy()) {}
    int list_from(const std::string& key, const std::string& address) {
        return m_server
            .send("GET", kTokensPath,
                  {{"Authorization", "Bearer " + key},
                   {"X-Real-IP", address},
                   {"User-Agent", "probe/1"}})
            .status;
    }
};

TEST_F(AuditBehindProxy, UseFromANewAddressIsRecordedOnceWithThePreviousOne) {
    std::string key = created(m_full, "{}").value("key", "");
    std::string id = id_of(key);
    EXPECT_EQ(list_from(key, "198.51.100.1"), 200); // the first address: nothing to compare with
    EXPECT_EQ(list_from(key, "198.51.100.1"), 200);
    EXPECT_TRUE(events("?event=token.used_from_new_address&tokenId=" + id).empty());
    EXPECT_EQ(list_from(key, "203.0.113.7"), 200);
    EXPECT_EQ(list_from(key, "203.0.113.7"), 200);
    EXPECT_EQ(list_from(key, "198.51.100.1"), 200); // still remembered: not new
    auto moved = events("?event=token.used_from_new_address&tokenId=" + id);
    ASSERT_EQ(moved.size(), 1u);
    EXPECT_EQ(moved[0]["ip"], "203.0.113.7");
    EXPECT_EQ(moved[0]["details"]["previousIp"], "198.51.100.1");
    EXPECT_EQ(moved[0]["outcome"], "success");
    EXPECT_EQ(moved[0]["userAgent"], "probe/1");
    EXPECT_TRUE(moved[0]["requestId"].is_string()) << moved[0].dump();
}

} // namespace
} // namespace tokend::test
