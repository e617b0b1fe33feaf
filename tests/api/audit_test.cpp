// SPEC §12: every token change leaves exactly one event with the right name, actor and target,
// in the same transaction; a refused request leaves nothing unless §12 names a denied event;
// the list pages and filters like §11.11's lists, and bad filters are 400s that change nothing.
#include <gtest/gtest.h>

#include "api/token_fixture.hpp"

namespace tokend::test {
namespace {

const std::string kAudit = "/api/v1/admin/audit-events";

class AuditApi : public TokenApi {
protected:
    AuditApi() { m_full_id = id_of(m_full); }

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
    EXPECT_EQ(events("?limit=100").size(), 5u);
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
        EXPECT_EQ(m_server.get(kTokensPath, key).status, 403);
    }
    auto denied = named("token.ip_denied");
    ASSERT_EQ(denied.size(), 1u);
    EXPECT_EQ(denied[0]["outcome"], "denied");
    EXPECT_EQ(denied[0]["target"]["id"], made["_id"]);
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
    EXPECT_EQ(seen.size(), 5u);
    auto all = events("?limit=100");
    ASSERT_EQ(all.size(), 5u);
    for (std::size_t i = 0; i < all.size(); ++i) {
        EXPECT_EQ(all[i]["_id"], seen[i]);
        if (i > 0) {
            EXPECT_GE(all[i - 1]["createdAt"].get<std::string>(),
                      all[i]["createdAt"].get<std::string>());
        }
    }
    auto mine = events("?tokenId=" + m_full_id);
    ASSERT_EQ(mine.size(), 1u); // its own creation; the four creates are about other tokens
    EXPECT_EQ(events("?event=token.revoked").size(), 0u);
    EXPECT_EQ(events("?since=2200-01-01T00:00:00Z").size(), 0u);
    EXPECT_EQ(events("?until=2000-01-01T00:00:00Z").size(), 0u);
    EXPECT_EQ(events("?since=2000-01-01T00:00:00Z&limit=100").size(), 5u);
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
    ASSERT_EQ(seen.size(), 1u); // only bob's own token.created
    EXPECT_NE(seen[0]["actor"]["accountId"], m_alice_id);
}

} // namespace
} // namespace tokend::test
