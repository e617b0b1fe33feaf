// GET /api/v1/admin/account (SPEC §6): the caller's account, needing analytics:read.
#include "token_fixture.hpp"

using namespace tokend::test;

namespace {
const std::string kAccountPath = "/api/v1/admin/account";
}

TEST_F(TokenApi, AccountShowsExactlyTheSpecFields) {
    auto data = data_of(m_server.get(kAccountPath, m_full));
    ASSERT_EQ(data.size(), 1u);
    const auto& a = data[0];
    EXPECT_EQ(keys_of(a),
              (std::set<std::string>{"_id", "name", "email", "image", "createdAt", "hasAccess"}));
    EXPECT_EQ(a["_id"], m_alice_id);
    EXPECT_EQ(a["email"], "alice@example.com");
    EXPECT_EQ(a["name"], nullptr);
    EXPECT_EQ(a["image"], nullptr);
    EXPECT_EQ(a["hasAccess"], true);
    EXPECT_TRUE(is_timestamp(a["createdAt"])) << a;
}

TEST_F(TokenApi, AccountShowsNameAndLowerCasedEmail) {
    m_server.app().accounts().create("Bob@Example.COM", "Bob Builder", std::nullopt);
    std::string bob = m_server.create_token("bob@example.com");
    auto a = data_of(m_server.get(kAccountPath, bob))[0];
    EXPECT_EQ(a["name"], "Bob Builder");
    EXPECT_EQ(a["email"], "bob@example.com");
}

TEST_F(TokenApi, AccountWorksWithOnlyAnalyticsRead) {
    std::string token = m_server.create_token("alice@example.com", "analytics:read");
    EXPECT_EQ(data_of(m_server.get(kAccountPath, token)).size(), 1u);
}

TEST_F(TokenApi, AccountNeedsAnalyticsRead) {
    std::string token = m_server.create_token("alice@example.com", "api-keys:read,api-keys:write");
    auto reply = m_server.get(kAccountPath, token);
    expect_error(reply, 403);
    EXPECT_NE(message_of(reply).find("analytics:read"), std::string::npos) << message_of(reply);
}

TEST_F(TokenApi, AccountWorksForAWebsiteRestrictedToken) {
    std::string site = m_server.create_website("alice@example.com", "example.com");
    std::string token = m_server.create_token("alice@example.com", "analytics:read", site);
    EXPECT_EQ(data_of(m_server.get(kAccountPath, token))[0]["_id"], m_alice_id);
}

TEST_F(TokenApi, AccountNeedsAToken) {
    expect_error(m_server.get(kAccountPath), 401);
}
