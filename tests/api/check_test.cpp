// GET /api/v1/auth/check (SPEC §6): the gate's answers as nginx auth_request reads them —
// 204 with X-Tokend-* headers, 401, 403 (also when throttled), and 400 for a gate misconfigured.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "token_fixture.hpp"

using namespace tokend::test;

namespace {
const std::string kCheck = "/api/v1/auth/check";

tokend::AppConfig fast_flush() {
    tokend::AppConfig config;
    config.usage_flush_interval = std::chrono::milliseconds(20);
    return config;
}

// alice owns alice.com and bob.com's owner is bob; carol is a viewer and erin a member on
// alice.com.
class CheckApi : public ::testing::Test {
protected:
    CheckApi() : m_server(fast_flush()) {
        m_server.create_account("alice@example.com");
        m_server.create_account("bob@example.com");
        auto carol = m_server.create_account("carol@example.com");
        auto erin = m_server.create_account("erin@example.com");
        m_site = m_server.create_website("alice@example.com", "alice.com");
        m_other_site = m_server.create_website("alice@example.com", "other.alice.com");
        m_bob_site = m_server.create_website("bob@example.com", "bob.com");
        m_server.app().websites().add_member_any(m_site, carol, tokend::core::Role::Viewer);
        m_server.app().websites().add_member_any(m_site, erin, tokend::core::Role::Member);
    }

    Reply check(const std::string& token, const std::string& query,
                const httplib::Headers& extra = {}) {
        httplib::Headers headers = extra;
        if (!token.empty()) {
            headers.emplace("Authorization", "Bearer " + token);
        }
        return m_server.send("GET", kCheck + query, headers);
    }

    TestServer m_server;
    std::string m_site, m_other_site, m_bob_site;
};
} // namespace

TEST_F(CheckApi, AllowedAnswers204WithTheTokenIdentityHeaders) {
    auto token = m_server.create_token("alice@example.com", "analytics:read,goals:write");
    auto reply = check(token, "?permission=analytics:read");
    EXPECT_EQ(reply.status, 204);
    EXPECT_TRUE(reply.raw.empty());
    auto listed = data_of(m_server.get(kTokensPath, m_server.create_token("alice@example.com")));
    EXPECT_EQ(reply.header("X-Tokend-Token"), listed.back()["_id"]);
    EXPECT_TRUE(is_object_id(reply.header("X-Tokend-Account")));
    EXPECT_EQ(reply.header("X-Tokend-Permissions"), "analytics:read,goals:write");
}

TEST_F(CheckApi, PermissionMayComeFromTheHeader) {
    auto token = m_server.create_token("alice@example.com", "goals:read");
    auto reply = check(token, "", {{"X-Tokend-Permission", "goals:read"}});
    EXPECT_EQ(reply.status, 204);
}

TEST_F(CheckApi, StarTokenPassesAnyPermission) {
    auto token = m_server.create_token("alice@example.com");
    EXPECT_EQ(check(token, "?permission=payments:write").status, 204);
}

TEST_F(CheckApi, MissingTokenAnswers401WithBearerChallenge) {
    auto reply = check("", "?permission=analytics:read");
    expect_error(reply, 401);
    EXPECT_EQ(reply.header("WWW-Authenticate"), "Bearer");
}

TEST_F(CheckApi, WrongTokenAnswers401InvalidToken) {
    auto token = m_server.create_token("alice@example.com");
    token[10] = token[10] == 'a' ? 'b' : 'a';
    auto reply = check(token, "?permission=analytics:read");
    expect_error(reply, 401);
    EXPECT_EQ(reply.header("WWW-Authenticate"), "Bearer error=\"invalid_token\"");
}

TEST_F(CheckApi, TokenRevokedThroughTheApiAnswers401AtOnce) {
    auto admin = m_server.create_token("alice@example.com");
    auto token = m_server.create_token("alice@example.com", "analytics:read");
    auto id = check(token, "?permission=analytics:read").header("X-Tokend-Token");
    ASSERT_EQ(m_server.del(kTokensPath + "/" + id, admin).status, 200);
    expect_error(check(token, "?permission=analytics:read"), 401);
}

TEST_F(CheckApi, PermissionNotHeldAnswers403) {
    auto token = m_server.create_token("alice@example.com", "analytics:read");
    auto reply = check(token, "?permission=goals:write");
    expect_error(reply, 403);
    EXPECT_NE(message_of(reply).find("goals:write"), std::string::npos);
}

TEST_F(CheckApi, MissingPermissionParameterAnswers400) {
    auto token = m_server.create_token("alice@example.com");
    auto reply = check(token, "");
    expect_error(reply, 400);
    EXPECT_NE(message_of(reply).find("X-Tokend-Permission"), std::string::npos);
}

TEST_F(CheckApi, UnknownPermissionAnswers400WithoutEchoingATokenLikeValue) {
    auto token = m_server.create_token("alice@example.com");
    auto reply = check(token, "?permission=" + token);
    expect_error(reply, 400);
    EXPECT_FALSE(contains_token_prefix(reply.raw));
}

TEST_F(CheckApi, QueryAndHeaderThatDisagreeAnswer400) {
    auto token = m_server.create_token("alice@example.com");
    auto reply = check(token, "?permission=analytics:read", {{"X-Tokend-Permission", "*"}});
    expect_error(reply, 400);
}

TEST_F(CheckApi, WebsiteInTheTokenListIsAllowed) {
    auto token = m_server.create_token("alice@example.com", "analytics:read", m_site);
    EXPECT_EQ(check(token, "?permission=analytics:read&websiteId=" + m_site).status, 204);
}

TEST_F(CheckApi, WebsiteMayComeFromTheHeader) {
    auto token = m_server.create_token("alice@example.com", "analytics:read", m_site);
    auto reply = check(token, "?permission=analytics:read", {{"X-Tokend-Website", m_other_site}});
    expect_error(reply, 403);
}

TEST_F(CheckApi, WebsiteOutsideTheTokenListAnswers403) {
    auto token = m_server.create_token("alice@example.com", "analytics:read", m_site);
    expect_error(check(token, "?permission=analytics:read&websiteId=" + m_other_site), 403);
}

TEST_F(CheckApi, AnotherAccountsWebsiteAnswers403) {
    auto token = m_server.create_token("alice@example.com");
    expect_error(check(token, "?permission=analytics:read&websiteId=" + m_bob_site), 403);
}

TEST_F(CheckApi, MalformedWebsiteIdAnswers403) {
    auto token = m_server.create_token("alice@example.com");
    expect_error(check(token, "?permission=analytics:read&websiteId=nope"), 403);
}

TEST_F(CheckApi, ViewerMayReadAWebsite) {
    auto token = m_server.create_token("carol@example.com");
    EXPECT_EQ(check(token, "?permission=analytics:read&websiteId=" + m_site).status, 204);
}

TEST_F(CheckApi, ViewerMayNotWriteAWebsite) {
    auto token = m_server.create_token("carol@example.com");
    expect_error(check(token, "?permission=goals:write&websiteId=" + m_site), 403);
}

TEST_F(CheckApi, MemberMayWriteButNotChangeTheTeam) {
    auto token = m_server.create_token("erin@example.com");
    EXPECT_EQ(check(token, "?permission=goals:write&websiteId=" + m_site).status, 204);
    expect_error(check(token, "?permission=team:write&websiteId=" + m_site), 403);
}

TEST(CheckThrottling, ThrottledClientGets403WithRetryAfterNever429) {
    tokend::AppConfig config;
    config.failed_auth = {1, 0.01};
    TestServer server(config);
    server.create_account("alice@example.com");
    auto token = server.create_token("alice@example.com");
    token[10] = token[10] == 'a' ? 'b' : 'a';
    httplib::Headers headers{{"Authorization", "Bearer " + token}};
    EXPECT_EQ(server.send("GET", kCheck + "?permission=analytics:read", headers).status, 401);
    auto reply = server.send("GET", kCheck + "?permission=analytics:read", headers);
    expect_error(reply, 403);
    EXPECT_FALSE(reply.header("Retry-After").empty());
}

TEST_F(CheckApi, CheckCountsAsUseForLastUsedAt) {
    auto admin = m_server.create_token("alice@example.com");
    auto token = m_server.create_token("alice@example.com", "analytics:read");
    auto id = check(token, "?permission=analytics:read").header("X-Tokend-Token");
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    nlohmann::json used = nullptr;
    while (used.is_null() && std::chrono::steady_clock::now() < deadline) {
        for (const auto& listed : data_of(m_server.get(kTokensPath, admin))) {
            if (listed["_id"] == id) {
                used = listed["lastUsedAt"];
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_TRUE(is_timestamp(used));
}
