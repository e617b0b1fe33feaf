// DELETE /api/v1/admin/access-tokens/{tokenId} (SPEC §6): revocation, its 400/403/404 rows, and
// the revoked token refused from the very next request.
#include "token_fixture.hpp"

using namespace tokend::test;

TEST_F(TokenApi, DeleteRevokesAndSaysSo) {
    auto made = created(m_full, "{}");
    auto reply = revoke(m_full, made["_id"]);
    auto data = data_of(reply);
    EXPECT_EQ(data, nlohmann::json::array({{{"message", "Access token deleted successfully"}}}));
}

TEST_F(TokenApi, RevokedTokenGets401OnTheNextRequest) {
    auto made = created(m_full, "{}");
    std::string key = made["key"];
    data_of(list(key));
    data_of(revoke(m_full, made["_id"]));
    auto reply = list(key);
    expect_error(reply, 401);
    EXPECT_NE(reply.header("WWW-Authenticate").find("error=\"invalid_token\""), std::string::npos);
}

TEST_F(TokenApi, RevokedTokenIsRefusedOnAnotherConnection) {
    auto made = created(m_full, "{}");
    std::string key = made["key"];
    data_of(revoke(m_full, made["_id"]));
    httplib::Client other("127.0.0.1", m_server.port());
    auto result = other.Get(kTokensPath.c_str(), {{"Authorization", "Bearer " + key}});
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 401);
}

TEST_F(TokenApi, DeleteOwnTokenWorksAndThenRefusesIt) {
    std::string own_id = id_of(m_full);
    data_of(revoke(m_full, own_id));
    expect_error(list(m_full), 401);
}

TEST_F(TokenApi, DeleteMalformedIdIs400) {
    for (const char* id : {"abc", "0123456789abcdef0123456", "0123456789abcdef012345678",
                           "0123456789abcdef0123456g"}) {
        auto reply = revoke(m_full, id);
        expect_error(reply, 400);
        EXPECT_NE(message_of(reply).find("tokenId"), std::string::npos) << message_of(reply);
    }
    EXPECT_EQ(live_tokens().size(), 1u);
}

TEST_F(TokenApi, DeleteUnknownIdIs404) {
    auto reply = revoke(m_full, "0123456789abcdef01234567");
    expect_error(reply, 404);
}

TEST_F(TokenApi, DeleteAlreadyRevokedIs404WithTheSameMessage) {
    auto made = created(m_full, "{}");
    data_of(revoke(m_full, made["_id"]));
    auto again = revoke(m_full, made["_id"]);
    expect_error(again, 404);
    EXPECT_EQ(message_of(again), message_of(revoke(m_full, "0123456789abcdef01234567")));
}

TEST_F(TokenApi, DeleteOtherAccountsTokenIs404WithTheSameMessageAndLeavesItLive) {
    m_server.create_account("bob@example.com");
    std::string bob = m_server.create_token("bob@example.com");
    std::string bob_id = data_of(list(bob))[0]["_id"];
    auto reply = revoke(m_full, bob_id);
    expect_error(reply, 404);
    EXPECT_EQ(message_of(reply), message_of(revoke(m_full, "0123456789abcdef01234567")));
    EXPECT_EQ(data_of(list(bob)).size(), 1u);
}

TEST_F(TokenApi, DeleteTokenWithMorePermissionsIs403AndLeavesItLive) {
    std::string narrow = m_server.create_token("alice@example.com", "api-keys:read,api-keys:write");
    auto reply = revoke(narrow, id_of(m_full));
    expect_error(reply, 403);
    data_of(list(m_full));
}

TEST_F(TokenApi, DeleteUnrestrictedTokenFromRestrictedCallerIs403) {
    std::string site = m_server.create_website("alice@example.com", "example.com");
    std::string restricted = m_server.create_token("alice@example.com", "", site);
    std::string other = created(m_full, R"({"permissions":["analytics:read"]})")["_id"];
    expect_error(revoke(restricted, other), 403);
    EXPECT_EQ(live_tokens().size(), 3u);
}

TEST_F(TokenApi, DeleteTokenWithinCallerScopeSucceeds) {
    std::string narrow = m_server.create_token("alice@example.com", "api-keys:read,api-keys:write");
    std::string target =
        created(m_full, R"({"permissions":["api-keys:read"]})")["_id"].get<std::string>();
    data_of(revoke(narrow, target));
}

TEST_F(TokenApi, DeleteNeedsApiKeysWrite) {
    std::string reader = m_server.create_token("alice@example.com", "api-keys:read");
    std::string target =
        created(m_full, R"({"permissions":["api-keys:read"]})")["_id"].get<std::string>();
    auto reply = revoke(reader, target);
    expect_error(reply, 403);
    EXPECT_NE(message_of(reply).find("api-keys:write"), std::string::npos) << message_of(reply);
    EXPECT_EQ(live_tokens().size(), 3u);
}

TEST_F(TokenApi, DeleteWithoutTokenIs401) {
    auto reply = m_server.del(kTokensPath + "/" + id_of(m_full), "");
    expect_error(reply, 401);
    EXPECT_EQ(live_tokens().size(), 1u);
}
