// SPEC §8 on the token routes: each bad input gets a 4xx envelope whose message names the field,
// never echoes a token, and leaves the stored tokens exactly as they were.
#include "token_fixture.hpp"

#include "crypto/random.hpp"

using namespace tokend::test;

namespace {
class BadInput : public TokenApi {
protected:
    // Sends a create with `body`, then checks the 4xx envelope and that nothing changed.
    Reply rejected_create(const std::string& body, int status = 400) {
        auto before = live_tokens();
        auto reply = create(m_full, body);
        expect_error(reply, status);
        EXPECT_EQ(live_tokens(), before);
        return reply;
    }
    static void expect_names(const Reply& reply, const std::string& field) {
        EXPECT_NE(message_of(reply).find(field), std::string::npos)
            << "message should name " << field << ": " << message_of(reply);
    }
    static void expect_no_token(const Reply& reply) {
        EXPECT_FALSE(contains_token_prefix(reply.raw)) << reply.raw;
    }

    const std::string m_pasted = tokend::crypto::new_token();
};
} // namespace

TEST_F(BadInput, MalformedJson) {
    for (const char* body : {R"({"name":)", "{name: 1}", R"({"name":"x",})", "{'name':'x'}", "{"}) {
        rejected_create(body);
    }
}

TEST_F(BadInput, PermissionsAsAString) {
    expect_names(rejected_create(R"({"permissions":"*"})"), "permissions");
}

TEST_F(BadInput, NameAsANumber) {
    expect_names(rejected_create(R"({"name":5})"), "name");
}

TEST_F(BadInput, NameAsAnObjectOrArray) {
    expect_names(rejected_create(R"({"name":{"first":"x"}})"), "name");
    expect_names(rejected_create(R"({"name":["x"]})"), "name");
}

TEST_F(BadInput, WebsiteIdsAsAString) {
    expect_names(rejected_create(R"({"websiteIds":"0123456789abcdef01234567"})"), "websiteIds");
}

TEST_F(BadInput, PermissionsNull) {
    expect_names(rejected_create(R"({"permissions":null})"), "permissions");
}

TEST_F(BadInput, NullInsidePermissions) {
    expect_names(rejected_create(R"({"permissions":["analytics:read",null]})"), "permissions[1]");
}

TEST_F(BadInput, NullInsideWebsiteIds) {
    expect_names(rejected_create(R"({"websiteIds":[null]})"), "websiteIds[0]");
}

TEST_F(BadInput, NumberInsidePermissions) {
    expect_names(rejected_create(R"({"permissions":[1]})"), "permissions[0]");
}

TEST_F(BadInput, DeeplyNestedDocument) {
    std::string deep = R"({"name":)" + std::string(5000, '[') + std::string(5000, ']') + "}";
    rejected_create(deep);
}

TEST_F(BadInput, HugeArray) {
    std::string many = R"({"permissions":[)";
    for (int i = 0; i < 2000; ++i) {
        many += (i ? "," : "") + std::string(R"("goals:read")");
    }
    many += "]}";
    expect_names(rejected_create(many), "permissions");
}

TEST_F(BadInput, NonUtf8Bytes) {
    rejected_create("{\"name\":\"caf\xe9\"}");
    rejected_create("{\"name\":\"\xff\xfe\"}");
}

TEST_F(BadInput, RawControlCharacterInsideJsonString) {
    rejected_create(std::string("{\"name\":\"a") + "\x01" + "b\"}");
}

TEST_F(BadInput, EscapedControlCharacterInName) {
    expect_names(rejected_create(R"({"name":"bell\u0007"})"), "name");
}

TEST_F(BadInput, NulCharacterInName) {
    expect_names(rejected_create(R"({"name":"a\u0000b"})"), "name");
}

TEST_F(BadInput, TokenPastedAsPermissionIsNotEchoed) {
    auto reply = rejected_create(R"({"permissions":[")" + m_pasted + R"("]})");
    expect_names(reply, "permissions[0]");
    expect_no_token(reply);
}

TEST_F(BadInput, TokenPastedAsWebsiteIdIsNotEchoed) {
    auto reply = rejected_create(R"({"websiteIds":[")" + m_pasted + R"("]})");
    expect_names(reply, "websiteIds[0]");
    expect_no_token(reply);
}

TEST_F(BadInput, TokenPastedAsFieldNameIsNotEchoed) {
    expect_no_token(rejected_create(R"({")" + m_pasted + R"(":true})"));
}

TEST_F(BadInput, TokenPastedAsPathIdIsNotEchoed) {
    auto before = live_tokens();
    auto reply = revoke(m_full, m_pasted);
    expect_error(reply, 400);
    expect_names(reply, "tokenId");
    expect_no_token(reply);
    EXPECT_EQ(live_tokens(), before);
}

TEST_F(BadInput, OwnTokenPastedAsPathIdIsNotEchoed) {
    auto reply = revoke(m_full, m_full);
    expect_error(reply, 400);
    expect_no_token(reply);
    EXPECT_EQ(live_tokens().size(), 1u);
}

TEST_F(BadInput, WrongLengthOrAlphabetIdInPath) {
    auto before = live_tokens();
    for (const char* id : {"1", "0123456789abcdef0123456z", "0123456789abcdef01234567ab"}) {
        expect_error(revoke(m_full, id), 400);
    }
    EXPECT_EQ(live_tokens(), before);
}

TEST_F(BadInput, ExtraPathSegments) {
    auto before = live_tokens();
    std::string id = id_of(m_full);
    expect_error(m_server.del(kTokensPath + "/" + id + "/extra", m_full), 404);
    expect_error(m_server.get(kTokensPath + "/extra/more", m_full), 404);
    expect_error(m_server.get("/api/v1/admin/account/extra", m_full), 404);
    expect_error(m_server.post(kTokensPath + "/" + id + "/revoke", m_full, "{}"), 404);
    EXPECT_EQ(live_tokens(), before);
}

TEST_F(BadInput, EmptyPathIdIsNotARevoke) {
    auto before = live_tokens();
    auto reply = m_server.del(kTokensPath + "/", m_full);
    EXPECT_GE(reply.status, 400);
    EXPECT_LT(reply.status, 500);
    EXPECT_EQ(live_tokens(), before);
}

TEST_F(BadInput, BadInputWithoutAuthIsStill401) {
    auto reply = m_server.post(kTokensPath, "", R"({"permissions":"*"})");
    expect_error(reply, 401);
}

TEST_F(BadInput, TokenWithBadChecksumInHeaderIsNotEchoed) {
    std::string bad = m_full;
    bad[10] = bad[10] == 'a' ? 'b' : 'a';
    auto reply = create(bad, "{}");
    expect_error(reply, 401);
    expect_no_token(reply);
    EXPECT_EQ(live_tokens().size(), 1u);
}

TEST_F(BadInput, TokenPastedAsNameIsNeitherStoredNorEchoed) {
    auto reply = rejected_create(R"({"name":"copy of )" + m_full + R"("})");
    expect_names(reply, "name");
    expect_no_token(reply);
}
