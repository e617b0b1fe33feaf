// GET /api/v1/admin/audit-events (SPEC §12): token changes leave exactly one event each, written
// with the change; rejected requests leave none unless §12 names a denied event; pages, filters
// and their 400s; one account never sees another's events.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "support/test_server.hpp"

using nlohmann::json;
using tokend::test::Reply;
using tokend::test::TestServer;

namespace {
const std::string kEvents = "/api/v1/admin/audit-events";
const std::string kTokens = "/api/v1/admin/access-tokens";

class AuditApi : public ::testing::Test {
protected:
    void SetUp() override {
        m_server.create_account("owner@example.com");
        m_full = m_server.create_token("owner@example.com");
        m_full_id = m_server.get(kTokens + "/self", m_full).body["data"][0]["_id"];
    }
    json events(const std::string& query = "") {
        auto reply = m_server.get(kEvents + query, m_full);
        EXPECT_EQ(reply.status, 200) << reply.raw;
        return reply.body;
    }
    json created(const std::string& body = "{}") {
        auto reply = m_server.post(kTokens, m_full, body);
        EXPECT_EQ(reply.status, 200) << reply.raw;
        return reply.body["data"][0];
    }

    TestServer m_server;
    std::string m_full;
    std::string m_full_id;
};
} // namespace

TEST_F(AuditApi, CreateLeavesOneEventNamingActorAndTarget) {
    auto token = created(R"({"name":"ci"})");
    auto page = events(); // newest first: this one, then the seed token's (CLI) creation
    ASSERT_EQ(page["data"].size(), 2U) << page.dump();
    auto event = page["data"][0];
    EXPECT_EQ(event["event"], "token.created");
    EXPECT_EQ(event["outcome"], "success");
    EXPECT_EQ(event["actor"]["type"], "token");
    EXPECT_EQ(event["actor"]["id"], m_full_id);
    EXPECT_EQ(event["target"]["type"], "token");
    EXPECT_EQ(event["target"]["id"], token["_id"]);
    EXPECT_EQ(event["target"]["displayKey"], token["displayKey"]);
    EXPECT_EQ(event["ip"], "127.0.0.1");
    EXPECT_TRUE(event["requestId"].is_string());
    EXPECT_EQ(page["pagination"]["hasMore"], false);
}

TEST_F(AuditApi, EachTokenChangeLeavesExactlyOneEventNewestFirst) {
    auto token = created();
    std::string id = token["_id"];
    ASSERT_EQ(m_server.post(kTokens + "/" + id + "/rotate", m_full, "{}").status, 200);
    ASSERT_EQ(m_server
                  .send("PATCH", kTokens + "/" + id, {{"Authorization", "Bearer " + m_full}},
                        R"({"name":"renamed"})")
                  .status,
              200);
    ASSERT_EQ(m_server.del(kTokens + "/" + id, m_full).status, 200);
    auto data = events("?tokenId=" + id)["data"];
    ASSERT_EQ(data.size(), 4U) << data.dump();
    EXPECT_EQ(data[0]["event"], "token.revoked");
    EXPECT_EQ(data[0]["details"]["via"], "api");
    EXPECT_EQ(data[1]["event"], "token.updated");
    EXPECT_EQ(data[2]["event"], "token.rotated");
    EXPECT_EQ(data[3]["event"], "token.created");
    for (const auto& event : data) {
        EXPECT_EQ(event["target"]["id"], id);
        EXPECT_EQ(event["actor"]["id"], m_full_id);
    }
}

TEST_F(AuditApi, RejectedChangeLeavesNoEvent) {
    ASSERT_EQ(m_server.post(kTokens, m_full, R"({"permissions":["nope"]})").status, 400);
    ASSERT_EQ(m_server.del(kTokens + "/0123456789abcdef01234567", m_full).status, 404);
    EXPECT_EQ(events()["data"].size(), 1U); // only the seed token's creation
}

TEST_F(AuditApi, CommandLineCreationIsByTheCliActor) {
    auto data = events()["data"];
    ASSERT_EQ(data.size(), 1U) << data.dump();
    EXPECT_EQ(data[0]["event"], "token.created");
    EXPECT_EQ(data[0]["actor"]["type"], "cli");
    EXPECT_EQ(data[0]["target"]["id"], m_full_id);
    EXPECT_TRUE(data[0]["ip"].is_null());
}

TEST_F(AuditApi, IpDeniedIsRecordedOncePerTokenAndAddress) {
    auto token = created(R"({"allowedIps":["203.0.113.0/24"]})");
    std::string key = token["key"];
    EXPECT_EQ(m_server.get(kTokens + "/self", key).status, 403);
    EXPECT_EQ(m_server.get(kTokens + "/self", key).status, 403);
    auto data = events("?event=token.ip_denied")["data"];
    ASSERT_EQ(data.size(), 1U) << data.dump();
    EXPECT_EQ(data[0]["outcome"], "denied");
    EXPECT_EQ(data[0]["target"]["id"], token["_id"]);
    EXPECT_EQ(data[0]["ip"], "127.0.0.1");
}

TEST_F(AuditApi, LeakReportRevocationCarriesItsHashNeverTheToken) {
    auto token = created();
    std::string key = token["key"];
    auto reply =
        m_server.post("/api/v1/credentials/revoke", "", json({{"credentials", {key}}}).dump());
    ASSERT_EQ(reply.status, 202);
    auto data = events("?event=token.revoked")["data"];
    ASSERT_EQ(data.size(), 1U) << data.dump();
    EXPECT_EQ(data[0]["details"]["via"], "leak_report");
    EXPECT_EQ(data[0]["actor"]["type"], "anonymous");
    std::string sha = data[0]["details"]["tokenSha256"];
    EXPECT_EQ(sha.size(), 44U);
    EXPECT_EQ(data.dump().find(key), std::string::npos);
}

TEST_F(AuditApi, PagesWalkEveryEventOnceWithCursor) {
    for (int i = 0; i < 5; ++i) {
        created();
    }
    auto first = events("?limit=2");
    ASSERT_EQ(first["data"].size(), 2U);
    EXPECT_EQ(first["pagination"]["hasMore"], true);
    std::set<std::string> seen;
    json page = first;
    int pages = 1;
    for (;;) {
        for (const auto& event : page["data"]) {
            EXPECT_TRUE(seen.insert(event["_id"].get<std::string>()).second);
        }
        if (!page["pagination"]["hasMore"].get<bool>()) {
            break;
        }
        page = events("?limit=2&cursor=" + page["pagination"]["cursor"].get<std::string>());
        ++pages;
    }
    EXPECT_EQ(seen.size(), 6U); // and the seed token's creation
    EXPECT_EQ(pages, 3);
}

TEST_F(AuditApi, FiltersByTokenAndOutcome) {
    auto a = created();
    created();
    std::string id = a["_id"];
    auto data = events("?tokenId=" + id)["data"];
    ASSERT_EQ(data.size(), 1U);
    EXPECT_EQ(data[0]["target"]["id"], id);
    EXPECT_EQ(events("?outcome=denied")["data"].size(), 0U);
    EXPECT_EQ(events("?outcome=success")["data"].size(), 3U);
    EXPECT_EQ(events("?until=2000-01-01T00:00:00Z")["data"].size(), 0U);
    EXPECT_EQ(events("?since=2000-01-01T00:00:00Z")["data"].size(), 3U);
}

TEST_F(AuditApi, BadFilterValuesAre400) {
    for (std::string query :
         {"?event=token.exploded", "?outcome=maybe", "?since=yesterday", "?until=2027-13-01",
          "?tokenId=xyz", "?limit=0", "?limit=101", "?cursor=not-a-cursor", "?limit=1&limit=2"}) {
        auto reply = m_server.get(kEvents + query, m_full);
        EXPECT_EQ(reply.status, 400) << query;
        EXPECT_EQ(reply.body["status"], "error") << query;
    }
}

TEST_F(AuditApi, AnotherAccountSeesNoneOfTheseEvents) {
    created();
    m_server.create_account("other@example.com");
    auto other = m_server.create_token("other@example.com");
    auto reply = m_server.get(kEvents, other);
    ASSERT_EQ(reply.status, 200);
    EXPECT_EQ(reply.body["data"].size(), 0U);
}

TEST_F(AuditApi, NeedsApiKeysRead) {
    auto reader = m_server.create_token("owner@example.com", "analytics:read");
    EXPECT_EQ(m_server.get(kEvents, reader).status, 403);
    EXPECT_EQ(m_server.get(kEvents).status, 401);
}
