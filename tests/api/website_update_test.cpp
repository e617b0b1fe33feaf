// PUT and DELETE /api/v1/admin/websites/{id} (SPEC §6), and what deleting a website from the
// CLI does to tokens and members.
#include "core/access.hpp"
#include "core/error.hpp"
#include "website_fixture.hpp"

using namespace tokend::test;
using nlohmann::json;

TEST_F(WebsiteApi, UpdateChangesOnlyTheGivenFields) {
    auto before = data_of(m_server.get(site_path(m_site), m_alice))[0];
    auto after = data_of(m_server.put(site_path(m_site), m_alice, body({{"name", "Shop"}})))[0];
    EXPECT_EQ(after["name"], "Shop");
    before["name"] = "Shop";
    EXPECT_EQ(after, before);
}

TEST_F(WebsiteApi, UpdateIsStored) {
    m_server.put(site_path(m_site), m_alice,
                 body({{"domain", "Shop.Alice.com"}, {"timezone", "Europe/Paris"}}));
    auto stored = data_of(m_server.get(site_path(m_site), m_alice))[0];
    EXPECT_EQ(stored["domain"], "shop.alice.com");
    EXPECT_EQ(stored["timezone"], "Europe/Paris");
}

TEST_F(WebsiteApi, UpdateWithNullNameClearsIt) {
    m_server.put(site_path(m_site), m_alice, body({{"name", "Shop"}}));
    auto after = data_of(m_server.put(site_path(m_site), m_alice, R"({"name":null})"))[0];
    EXPECT_EQ(after["name"], nullptr);
}

TEST_F(WebsiteApi, UpdateByAMemberSucceeds) {
    auto after = data_of(m_server.put(site_path(m_site), m_bob, body({{"name", "Bob's"}})))[0];
    EXPECT_EQ(after["name"], "Bob's");
    EXPECT_EQ(after["role"], "member");
}

TEST_F(WebsiteApi, UpdateByAViewerIs403AndChangesNothing) {
    expect_error(m_server.put(site_path(m_site), m_carol, body({{"name", "Carol's"}})), 403);
    EXPECT_EQ(data_of(m_server.get(site_path(m_site), m_alice))[0]["name"], nullptr);
}

TEST_F(WebsiteApi, UpdateNeedsSettingsWrite) {
    std::string token = m_server.create_token("alice@example.com", "settings:read,websites:write");
    expect_error(m_server.put(site_path(m_site), token, body({{"name", "x"}})), 403);
}

TEST_F(WebsiteApi, UpdateOfAnUnreachableWebsiteIs403) {
    expect_error(m_server.put(site_path(m_site), m_dave, body({{"name", "x"}})), 403);
    expect_error(m_server.put(site_path(kMissingWebsite), m_dave, body({{"name", "x"}})), 403);
}

TEST_F(WebsiteApi, UpdateToADomainTheOwnerHasIs409) {
    m_server.create_website("alice@example.com", "second.com");
    expect_error(m_server.put(site_path(m_site), m_alice, body({{"domain", "second.com"}})), 409);
}

TEST_F(WebsiteApi, UpdateToItsOwnDomainSucceeds) {
    auto after = data_of(m_server.put(site_path(m_site), m_alice, body({{"domain", "alice.com"}})));
    EXPECT_EQ(after[0]["domain"], "alice.com");
}

TEST_F(WebsiteApi, UpdateRejectsAnInvalidDomainNamingIt) {
    auto reply = m_server.put(site_path(m_site), m_alice, body({{"domain", "http://a.com"}}));
    expect_error(reply, 400);
    EXPECT_EQ(message_of(reply).rfind("domain", 0), 0u) << reply.raw;
}

TEST_F(WebsiteApi, UpdateRejectsAnUnknownTimezoneNamingIt) {
    auto reply = m_server.put(site_path(m_site), m_alice, body({{"timezone", "Europe/Atlantis"}}));
    expect_error(reply, 400);
    EXPECT_EQ(message_of(reply).rfind("timezone", 0), 0u) << reply.raw;
}

TEST_F(WebsiteApi, UpdateRejectsUnknownFieldsAndChangesNothing) {
    auto reply = m_server.put(site_path(m_site), m_alice, body({{"name", "x"}, {"role", "y"}}));
    expect_error(reply, 400);
    EXPECT_EQ(data_of(m_server.get(site_path(m_site), m_alice))[0]["name"], nullptr);
}

TEST_F(WebsiteApi, UpdateWithAMalformedIdIs400) {
    expect_error(m_server.put(site_path("12345"), m_alice, body({{"name", "x"}})), 400);
}

TEST_F(WebsiteApi, DeleteIsRefusedWithAPointerToTheAdminPageAndCli) {
    auto reply = m_server.del(site_path(m_site), m_alice);
    expect_error(reply, 403);
    EXPECT_NE(message_of(reply).find("admin page"), std::string::npos) << reply.raw;
    EXPECT_NE(message_of(reply).find("tokend website delete"), std::string::npos) << reply.raw;
    EXPECT_EQ(listed_ids(m_alice), std::vector<std::string>{m_site});
}

TEST_F(WebsiteApi, DeleteWithAMalformedIdIs400) {
    expect_error(m_server.del(site_path("xyz"), m_alice), 400);
}

TEST_F(WebsiteApi, DeleteWithoutTokenIs401) {
    expect_error(m_server.del(site_path(m_site), ""), 401);
}

TEST_F(WebsiteApi, DeletedWebsiteLeavesItsMembersLists) {
    m_server.app().websites().delete_any(m_site);
    EXPECT_TRUE(listed_ids(m_alice).empty());
    EXPECT_TRUE(listed_ids(m_bob).empty());
}

TEST_F(WebsiteApi, DeletedWebsiteKeepsItsIdInTokenLists) {
    std::string restricted = m_server.create_token("alice@example.com", "", m_site);
    m_server.app().websites().delete_any(m_site);
    auto tokens = data_of(m_server.get(kTokensPath, restricted));
    ASSERT_FALSE(tokens.empty());
    for (const auto& token : tokens) {
        if (!token["websiteIds"].empty()) {
            EXPECT_EQ(token["websiteIds"], json::array({m_site}));
        }
    }
}

TEST_F(WebsiteApi, DeletedWebsiteNeverWidensATokenThatNamedIt) {
    std::string restricted = m_server.create_token("alice@example.com", "", m_site);
    m_server.app().websites().delete_any(m_site);
    std::string later = m_server.create_website("alice@example.com", "later.com");
    EXPECT_TRUE(listed_ids(restricted).empty());
    expect_error(m_server.get(site_path(later), restricted), 403);
}

TEST_F(WebsiteApi, TokenCopiedFromADanglingListKeepsTheDanglingId) {
    std::string restricted = m_server.create_token("alice@example.com", "", m_site);
    m_server.app().websites().delete_any(m_site);
    auto copy = data_of(m_server.post(kTokensPath, restricted, "{}"));
    ASSERT_EQ(copy.size(), 1u);
    EXPECT_EQ(copy[0]["websiteIds"], json::array({m_site}));
}

TEST_F(WebsiteApi, DeletedWebsiteIsOutOfReachLikeAnyMissingOne) {
    m_server.app().websites().delete_any(m_site);
    expect_error(m_server.get(site_path(m_site), m_alice), 403);
}

TEST_F(WebsiteApi, OnlyTheOwnerDeletesThroughTheAdminPagesService) {
    auto& websites = m_server.app().websites();
    EXPECT_THROW(websites.delete_owned(tokend::core::full_access(m_bob_id), m_site),
                 tokend::core::Error);
    EXPECT_EQ(listed_ids(m_bob), std::vector<std::string>{m_site});
    websites.delete_owned(tokend::core::full_access(m_alice_id), m_site);
    EXPECT_TRUE(listed_ids(m_alice).empty());
}
