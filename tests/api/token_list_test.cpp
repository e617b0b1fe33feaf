// GET /api/v1/admin/access-tokens (SPEC §6): live tokens only, newest first, never a key or hash.
#include "token_fixture.hpp"

using namespace tokend::test;

TEST_F(TokenApi, ListShowsEachTokenWithExactlyTheSpecFields) {
    auto tokens = live_tokens();
    ASSERT_EQ(tokens.size(), 1u);
    const auto& t = tokens[0];
    EXPECT_EQ(keys_of(t), kTokenKeys);
    EXPECT_TRUE(is_object_id(t["_id"])) << t;
    EXPECT_EQ(t["scope"], "user");
    EXPECT_EQ(t["permissions"], nlohmann::json::array({"*"}));
    EXPECT_EQ(t["websiteIds"], nlohmann::json::array());
    EXPECT_TRUE(is_timestamp(t["createdAt"])) << t;
    EXPECT_EQ(t["name"], nullptr);
}

TEST_F(TokenApi, ListNeverShowsTheRawKey) {
    auto reply = list(m_full);
    EXPECT_EQ(reply.raw.find(m_full), std::string::npos);
    EXPECT_EQ(reply.raw.find(m_full.substr(4)), std::string::npos);
}

TEST_F(TokenApi, ListShowsDisplayKeyOfTheToken) {
    std::string expected = m_full.substr(0, 7) + "..." + m_full.substr(m_full.size() - 4);
    EXPECT_EQ(live_tokens()[0]["displayKey"], expected);
}

TEST_F(TokenApi, ListIsNewestFirst) {
    std::string first = created(m_full, R"({"name":"first"})")["_id"];
    std::string second = created(m_full, R"({"name":"second"})")["_id"];
    std::string third = created(m_full, R"({"name":"third"})")["_id"];
    auto tokens = live_tokens();
    ASSERT_EQ(tokens.size(), 4u);
    EXPECT_EQ(tokens[0]["_id"], third);
    EXPECT_EQ(tokens[1]["_id"], second);
    EXPECT_EQ(tokens[2]["_id"], first);
}

TEST_F(TokenApi, ListOmitsRevokedTokens) {
    std::string id = created(m_full, "{}")["_id"];
    data_of(revoke(m_full, id));
    for (const auto& t : live_tokens()) {
        EXPECT_NE(t["_id"], id);
    }
    EXPECT_EQ(live_tokens().size(), 1u);
}

TEST_F(TokenApi, ListOmitsOtherAccountsTokens) {
    m_server.create_account("bob@example.com");
    std::string bob = m_server.create_token("bob@example.com");
    EXPECT_EQ(live_tokens().size(), 1u);
    EXPECT_EQ(data_of(list(bob)).size(), 1u);
}

TEST_F(TokenApi, ListNeedsApiKeysRead) {
    std::string token = m_server.create_token("alice@example.com", "analytics:read,api-keys:write");
    auto reply = list(token);
    expect_error(reply, 403);
    EXPECT_NE(message_of(reply).find("api-keys:read"), std::string::npos) << message_of(reply);
}

TEST_F(TokenApi, ListWorksWithOnlyApiKeysRead) {
    std::string token = m_server.create_token("alice@example.com", "api-keys:read");
    EXPECT_EQ(data_of(list(token)).size(), 2u);
}

TEST_F(TokenApi, ListShowsRestrictedTokensWebsitesAndPermissionsInOrder) {
    std::string w1 = m_server.create_website("alice@example.com", "one.example.com");
    std::string w2 = m_server.create_website("alice@example.com", "two.example.com");
    created(m_full, R"({"permissions":["goals:read","analytics:read"],"websiteIds":[")" + w2 +
                        R"(",")" + w1 + R"("]})");
    auto t = live_tokens()[0];
    EXPECT_EQ(t["permissions"], nlohmann::json::array({"goals:read", "analytics:read"}));
    EXPECT_EQ(t["websiteIds"], nlohmann::json::array({w2, w1}));
}

namespace {
class TokenApiFastUsage : public TokenApi {
protected:
    static tokend::AppConfig fast_usage() {
        tokend::AppConfig config;
        config.usage_flush_interval = std::chrono::milliseconds(20);
        return config;
    }
    TokenApiFastUsage() : TokenApi(fast_usage()) {}
};
} // namespace

TEST_F(TokenApiFastUsage, ListShowsLastUsedAtAfterUse) {
    nlohmann::json last_used;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
        last_used = live_tokens()[0]["lastUsedAt"]; // listing is itself a use of m_full
        if (!last_used.is_null()) {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_TRUE(is_timestamp(last_used)) << last_used;
}

TEST_F(TokenApiFastUsage, IncludeLastUsedIpAddsTheAddressOfTheLastUseAndOnlyThen) {
    nlohmann::json address;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
        address =
            data_of(m_server.get(kTokensPath + "?include=lastUsedIp", m_full))[0]["lastUsedIp"];
        if (!address.is_null()) {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_EQ(address, "127.0.0.1");
    // Without the parameter the first release's object is unchanged.
    EXPECT_FALSE(live_tokens()[0].contains("lastUsedIp"));
    EXPECT_EQ(data_of(m_server.get(kTokensPath + "?state=active&include=lastUsedIp",
                                   m_full))[0]["lastUsedIp"],
              "127.0.0.1");
}
