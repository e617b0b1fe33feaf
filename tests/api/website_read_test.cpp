// GET /api/v1/admin/websites and GET /websites/{id} (SPEC §6): what each caller sees, and the
// one 403 for every website outside reach.
#include "website_fixture.hpp"

using namespace tokend::test;
using nlohmann::json;

TEST_F(WebsiteApi, ListShowsTheWebsiteObjectWithTheCallersRole) {
    auto data = data_of(m_server.get(kWebsitesPath, m_carol));
    ASSERT_EQ(data.size(), 1u);
    EXPECT_EQ(keys_of(data[0]), kWebsiteKeys);
    EXPECT_EQ(data[0]["_id"], m_site);
    EXPECT_EQ(data[0]["domain"], "alice.com");
    EXPECT_EQ(data[0]["name"], nullptr);
    EXPECT_EQ(data[0]["timezone"], "UTC");
    EXPECT_EQ(data[0]["role"], "viewer");
    EXPECT_TRUE(is_timestamp(data[0]["createdAt"]));
}

TEST_F(WebsiteApi, ListIsOldestFirstAcrossOwnedAndJoinedWebsites) {
    std::string bobs = m_server.create_website("bob@example.com", "bob.com");
    std::string later = m_server.create_website("alice@example.com", "later.com");
    join(later, m_bob_id, tokend::core::Role::Viewer);
    EXPECT_EQ(listed_ids(m_bob), (std::vector<std::string>{m_site, bobs, later}));
}

TEST_F(WebsiteApi, ListOmitsOtherAccountsWebsites) {
    m_server.create_website("dave@example.com", "dave.com");
    EXPECT_EQ(listed_ids(m_alice), std::vector<std::string>{m_site});
}

TEST_F(WebsiteApi, ListOmitsWebsitesOutsideTheTokensList) {
    std::string other = m_server.create_website("alice@example.com", "other.com");
    std::string restricted = m_server.create_token("alice@example.com", "", other);
    EXPECT_EQ(listed_ids(restricted), std::vector<std::string>{other});
}

TEST_F(WebsiteApi, ListOfAnAccountWithoutWebsitesIsEmpty) {
    EXPECT_TRUE(listed_ids(m_dave).empty());
}

TEST_F(WebsiteApi, ListNeedsWebsitesRead) {
    std::string token = m_server.create_token("alice@example.com", "settings:read");
    expect_error(m_server.get(kWebsitesPath, token), 403);
}

TEST_F(WebsiteApi, ListWithoutTokenIs401) {
    expect_error(m_server.get(kWebsitesPath), 401);
}

TEST_F(WebsiteApi, GetReturnsTheWebsiteWithTheCallersRole) {
    std::string token = m_server.create_token("carol@example.com", "settings:read");
    auto data = data_of(m_server.get(site_path(m_site), token));
    ASSERT_EQ(data.size(), 1u);
    EXPECT_EQ(keys_of(data[0]), kWebsiteKeys);
    EXPECT_EQ(data[0]["_id"], m_site);
    EXPECT_EQ(data[0]["role"], "viewer");
}

TEST_F(WebsiteApi, GetAcceptsUpperCaseHexInTheId) {
    std::string upper = m_site;
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    EXPECT_EQ(data_of(m_server.get(site_path(upper), m_alice))[0]["_id"], m_site);
}

TEST_F(WebsiteApi, GetNeedsSettingsRead) {
    std::string token = m_server.create_token("alice@example.com", "websites:read");
    expect_error(m_server.get(site_path(m_site), token), 403);
}

TEST_F(WebsiteApi, GetOfAnotherAccountsWebsiteIs403NamingTheId) {
    auto reply = m_server.get(site_path(m_site), m_dave);
    expect_error(reply, 403);
    EXPECT_NE(message_of(reply).find(m_site), std::string::npos) << reply.raw;
}

TEST_F(WebsiteApi, GetOfAMissingWebsiteIs403NotFound) {
    auto reply = m_server.get(site_path(kMissingWebsite), m_alice);
    expect_error(reply, 403);
    EXPECT_NE(message_of(reply).find(kMissingWebsite), std::string::npos) << reply.raw;
}

TEST_F(WebsiteApi, UnreachableAndMissingWebsitesGetTheSameAnswer) {
    auto existing = m_server.get(site_path(m_site), m_dave);
    auto missing = m_server.get(site_path(kMissingWebsite), m_dave);
    std::string masked = message_of(existing);
    masked.replace(masked.find(m_site), m_site.size(), kMissingWebsite);
    EXPECT_EQ(existing.status, missing.status);
    EXPECT_EQ(masked, message_of(missing));
}

TEST_F(WebsiteApi, GetOutsideTheTokensListIs403) {
    std::string other = m_server.create_website("alice@example.com", "other.com");
    std::string restricted = m_server.create_token("alice@example.com", "", other);
    expect_error(m_server.get(site_path(m_site), restricted), 403);
}

TEST_F(WebsiteApi, GetWithAMalformedIdIs400) {
    auto reply = m_server.get(site_path("not-an-id"), m_alice);
    expect_error(reply, 400);
    EXPECT_NE(message_of(reply).find("websiteId"), std::string::npos) << reply.raw;
}

TEST_F(WebsiteApi, GetWithATokenAsIdNeverEchoesIt) {
    auto reply = m_server.get(site_path(m_alice), m_alice);
    expect_error(reply, 400);
    EXPECT_FALSE(contains_token_prefix(reply.raw)) << reply.raw;
}
