// SPEC §4 conventions on the token routes: 401 variants and WWW-Authenticate, the envelope on
// 404/405/413, Allow, Content-Type.
#include "token_fixture.hpp"

#include "crypto/random.hpp"

using namespace tokend::test;

namespace {
httplib::Headers authorization(const std::string& value) {
    return {{"Authorization", value}};
}

std::string with_bad_checksum(std::string token) {
    token.back() = token.back() == 'A' ? 'B' : 'A';
    return token;
}
} // namespace

TEST_F(TokenApi, MissingAuthorizationIs401WithPlainBearerChallenge) {
    auto reply = list("");
    expect_error(reply, 401);
    EXPECT_EQ(reply.header("WWW-Authenticate"), "Bearer");
}

TEST_F(TokenApi, BlankAuthorizationCountsAsMissing) {
    auto reply = m_server.send("GET", kTokensPath, authorization("   "));
    expect_error(reply, 401);
    EXPECT_EQ(reply.header("WWW-Authenticate"), "Bearer");
}

TEST_F(TokenApi, NonBearerSchemeIs401WithBearerChallenge) {
    auto reply = m_server.send("GET", kTokensPath, authorization("Basic YWxpY2U6c2VjcmV0"));
    expect_error(reply, 401);
    EXPECT_EQ(reply.header("WWW-Authenticate").rfind("Bearer", 0), 0u);
    EXPECT_NE(message_of(reply).find("Bearer"), std::string::npos) << message_of(reply);
}

TEST_F(TokenApi, MalformedTokenIs401InvalidToken) {
    auto reply = m_server.send("GET", kTokensPath, authorization("Bearer not-a-token"));
    expect_error(reply, 401);
    EXPECT_EQ(reply.header("WWW-Authenticate"), "Bearer error=\"invalid_token\"");
}

TEST_F(TokenApi, BadChecksumIs401InvalidToken) {
    auto reply = list(with_bad_checksum(m_full));
    expect_error(reply, 401);
    EXPECT_EQ(reply.header("WWW-Authenticate"), "Bearer error=\"invalid_token\"");
}

TEST_F(TokenApi, UnknownTokenIs401InvalidToken) {
    auto reply = list(tokend::crypto::new_token());
    expect_error(reply, 401);
    EXPECT_EQ(reply.header("WWW-Authenticate"), "Bearer error=\"invalid_token\"");
}

TEST_F(TokenApi, RevokedTokenIs401InvalidToken) {
    auto made = created(m_full, "{}");
    data_of(revoke(m_full, made["_id"]));
    auto reply = list(made["key"]);
    expect_error(reply, 401);
    EXPECT_EQ(reply.header("WWW-Authenticate"), "Bearer error=\"invalid_token\"");
}

TEST_F(TokenApi, MissingAndInvalidTokenGetDifferentMessages) {
    EXPECT_NE(message_of(list("")), message_of(list(tokend::crypto::new_token())));
}

TEST_F(TokenApi, BearerSchemeIsCaseInsensitive) {
    auto reply = m_server.send("GET", kTokensPath, authorization("bearer " + m_full));
    EXPECT_EQ(reply.status, 200) << reply.raw;
}

TEST_F(TokenApi, RejectedCredentialIsNeverEchoed) {
    std::string bad = with_bad_checksum(m_full);
    for (const auto& value : {"Bearer " + bad, "Basic " + m_full, "Bearer x" + m_full}) {
        auto reply = m_server.send("GET", kTokensPath, authorization(value));
        EXPECT_EQ(reply.status, 401) << value;
        EXPECT_FALSE(contains_token_prefix(reply.raw)) << reply.raw;
        for (const auto& [name, header] : reply.headers) {
            EXPECT_FALSE(contains_token_prefix(header)) << name << ": " << header;
        }
    }
}

TEST_F(TokenApi, UnknownRouteIs404Envelope) {
    expect_error(m_server.get("/api/v1/admin/nothing-here", m_full), 404);
    expect_error(m_server.get("/api/v1/admin/nothing-here"), 404);
    expect_error(m_server.get("/no/such/path"), 404);
}

TEST_F(TokenApi, WrongMethodIs405WithAllow) {
    auto reply = m_server.put(kTokensPath, m_full, "{}");
    expect_error(reply, 405);
    std::string allow = reply.header("Allow");
    EXPECT_NE(allow.find("GET"), std::string::npos) << allow;
    EXPECT_NE(allow.find("POST"), std::string::npos) << allow;
    EXPECT_EQ(allow.find("DELETE"), std::string::npos) << allow;
}

TEST_F(TokenApi, WrongMethodOnATokenIs405AllowingDeleteAndPatch) {
    auto reply = m_server.get(kTokensPath + "/" + id_of(m_full), m_full);
    expect_error(reply, 405);
    EXPECT_EQ(reply.header("Allow"), "DELETE, PATCH"); // PATCH since the second release
}

TEST_F(TokenApi, WrongMethodOnAccountIs405AllowingGet) {
    auto reply = m_server.post("/api/v1/admin/account", m_full, "{}");
    expect_error(reply, 405);
    EXPECT_EQ(reply.header("Allow"), "GET");
}

TEST_F(TokenApi, BodyOver64KiBIs413Envelope) {
    std::string body = R"({"name":")" + std::string(70 * 1024, 'a') + R"("})";
    auto reply = create(m_full, body);
    expect_error(reply, 413);
    EXPECT_EQ(live_tokens().size(), 1u);
}

TEST_F(TokenApi, BodyJustUnder64KiBIsRead) {
    std::string padding(64 * 1024 - 64, ' ');
    auto reply = create(m_full, R"({"name":"padded")" + padding + "}");
    EXPECT_EQ(data_of(reply)[0]["name"], "padded");
}

TEST_F(TokenApi, NonJsonContentTypeIsRefused) {
    auto reply = m_server.send("POST", kTokensPath, authorization("Bearer " + m_full),
                               R"({"name":"x"})", "text/plain");
    expect_error(reply, 415);
    EXPECT_EQ(live_tokens().size(), 1u);
}

TEST_F(TokenApi, JsonContentTypeWithCharsetIsAccepted) {
    auto reply = m_server.send("POST", kTokensPath, authorization("Bearer " + m_full),
                               R"({"name":"x"})", "application/json; charset=utf-8");
    EXPECT_EQ(data_of(reply)[0]["name"], "x");
}

TEST_F(TokenApi, SuccessIsJsonEnvelope) {
    auto reply = list(m_full);
    EXPECT_EQ(reply.header("Content-Type").rfind("application/json", 0), 0u);
    EXPECT_EQ(keys_of(reply.body), (std::set<std::string>{"status", "data"}));
}
