// POST /api/v1/admin/websites (SPEC §6): the creator becomes owner; domain, name and time-zone
// rules; duplicates; and the tokens that may not create.
#include "website_fixture.hpp"

using namespace tokend::test;
using nlohmann::json;

namespace {
json created_website(TestServer& server, const std::string& token, const json& request) {
    auto data = data_of(server.post(kWebsitesPath, token, request.dump()));
    EXPECT_EQ(data.size(), 1u);
    return data.empty() ? json::object() : data[0];
}
} // namespace

TEST_F(WebsiteApi, CreateReturnsTheWebsiteObjectPlusWebsiteId) {
    auto website = created_website(m_server, m_dave, {{"domain", "dave.com"}});
    auto expected_keys = kWebsiteKeys;
    expected_keys.insert("websiteId");
    EXPECT_EQ(keys_of(website), expected_keys);
    EXPECT_TRUE(is_object_id(website["_id"]));
    EXPECT_EQ(website["websiteId"], website["_id"]);
    EXPECT_EQ(website["role"], "owner");
    EXPECT_EQ(website["timezone"], "UTC");
    EXPECT_EQ(website["name"], nullptr);
    EXPECT_TRUE(is_timestamp(website["createdAt"]));
}

TEST_F(WebsiteApi, CreateStoresTheDomainLowerCase) {
    auto website = created_website(m_server, m_dave, {{"domain", "Dave.EXAMPLE.com"}});
    EXPECT_EQ(website["domain"], "dave.example.com");
}

TEST_F(WebsiteApi, CreateKeepsNameAndTimezone) {
    auto website = created_website(
        m_server, m_dave, {{"domain", "dave.com"}, {"name", " Dave "}, {"timezone", "Asia/Tokyo"}});
    EXPECT_EQ(website["name"], "Dave");
    EXPECT_EQ(website["timezone"], "Asia/Tokyo");
}

TEST_F(WebsiteApi, CreatedWebsiteIsListedAndReadableByItsCreator) {
    std::string id = created_website(m_server, m_dave, {{"domain", "dave.com"}})["_id"];
    EXPECT_EQ(listed_ids(m_dave), std::vector<std::string>{id});
    EXPECT_EQ(data_of(m_server.get(site_path(id), m_dave))[0]["role"], "owner");
}

TEST_F(WebsiteApi, CreateNeedsWebsitesWrite) {
    std::string token = m_server.create_token("dave@example.com", "websites:read");
    expect_error(m_server.post(kWebsitesPath, token, body({{"domain", "dave.com"}})), 403);
}

TEST_F(WebsiteApi, CreateByAWebsiteRestrictedTokenIs403) {
    std::string restricted = m_server.create_token("alice@example.com", "", m_site);
    auto reply = m_server.post(kWebsitesPath, restricted, body({{"domain", "new.com"}}));
    expect_error(reply, 403);
    EXPECT_EQ(listed_ids(m_alice), std::vector<std::string>{m_site});
}

TEST_F(WebsiteApi, CreateTheSameDomainTwiceIs409) {
    auto reply = m_server.post(kWebsitesPath, m_alice, body({{"domain", "ALICE.com"}}));
    expect_error(reply, 409);
    EXPECT_NE(message_of(reply).find("alice.com"), std::string::npos) << reply.raw;
}

TEST_F(WebsiteApi, CreateAllowsADomainThatAnotherAccountOwns) {
    auto website = created_website(m_server, m_dave, {{"domain", "alice.com"}});
    EXPECT_EQ(website["domain"], "alice.com");
}

TEST_F(WebsiteApi, CreateWithoutDomainIs400NamingIt) {
    auto reply = m_server.post(kWebsitesPath, m_dave, body({{"name", "x"}}));
    expect_error(reply, 400);
    EXPECT_NE(message_of(reply).find("domain"), std::string::npos) << reply.raw;
}

TEST_F(WebsiteApi, CreateRejectsDomainsThatAreNotHostNames) {
    for (const char* bad : {"https://dave.com", "dave.com:8080", "dave.com/path", "dave com",
                            "localhost", "", "-dave.com", "dave..com", "dave_1.com"}) {
        auto reply = m_server.post(kWebsitesPath, m_dave, body({{"domain", bad}}));
        expect_error(reply, 400);
        EXPECT_EQ(message_of(reply).rfind("domain", 0), 0u) << bad << ": " << reply.raw;
    }
    EXPECT_TRUE(listed_ids(m_dave).empty());
}

TEST_F(WebsiteApi, CreateRejectsANonStringDomain) {
    expect_error(m_server.post(kWebsitesPath, m_dave, R"({"domain":5})"), 400);
}

TEST_F(WebsiteApi, CreateRejectsAnUnknownTimezoneNamingIt) {
    auto reply = m_server.post(kWebsitesPath, m_dave,
                               body({{"domain", "dave.com"}, {"timezone", "Mars/Olympus"}}));
    expect_error(reply, 400);
    EXPECT_EQ(message_of(reply).rfind("timezone", 0), 0u) << reply.raw;
}

TEST_F(WebsiteApi, CreateRejectsANameOver100Characters) {
    auto reply = m_server.post(kWebsitesPath, m_dave,
                               body({{"domain", "dave.com"}, {"name", std::string(101, 'n')}}));
    expect_error(reply, 400);
    EXPECT_NE(message_of(reply).find("name"), std::string::npos) << reply.raw;
}

TEST_F(WebsiteApi, CreateRejectsUnknownFields) {
    expect_error(m_server.post(kWebsitesPath, m_dave, body({{"domain", "d.com"}, {"owner", "x"}})),
                 400);
}

TEST_F(WebsiteApi, CreateRejectsABodyThatIsNotAnObject) {
    expect_error(m_server.post(kWebsitesPath, m_dave, R"(["dave.com"])"), 400);
}
