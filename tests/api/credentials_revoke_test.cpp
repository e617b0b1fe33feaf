// POST /api/v1/credentials/revoke (SPEC §11.8): revocation by value. The same 202 for valid,
// revoked, unknown and malformed strings; 422 for any other body shape, 413 past 64 KiB, each
// changing nothing; 60 reports per address and hour; off with --disable-credentials-revoke.
#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "core/token_format.hpp"
#include "crypto/random.hpp"
#include "crypto/token_hasher.hpp"
#include "store/tokens.hpp"
#include "token_fixture.hpp"

using namespace tokend::test;

namespace {
const std::string kRevoke = "/api/v1/credentials/revoke";
const nlohmann::json kAccepted = {
    {"status", "success"},
    {"data", nlohmann::json::array({{{"message", "Credentials accepted for revocation."}}})}};

std::string unknown_token(char fill) {
    std::string random(tokend::core::kTokenRandomLength, fill);
    return "dft_" + random + tokend::core::base62_checksum(tokend::core::crc32(random));
}

std::string body_of(const std::vector<std::string>& credentials) {
    return nlohmann::json{{"credentials", credentials}}.dump();
}

class CredentialsRevokeApi : public TokenApi {
protected:
    explicit CredentialsRevokeApi(tokend::AppConfig config = {}) : TokenApi(std::move(config)) {}

    Reply report(const std::string& body, const httplib::Headers& headers = {}) {
        return m_server.send("POST", kRevoke, headers, body);
    }
    void expect_accepted(const Reply& reply) {
        EXPECT_EQ(reply.status, 202) << reply.raw;
        EXPECT_EQ(reply.body, kAccepted) << reply.raw;
    }
};
} // namespace

TEST_F(CredentialsRevokeApi, ReportedTokenIsRevokedAndGets401Next) {
    auto leaked = m_server.create_token("alice@example.com", "analytics:read");
    ASSERT_EQ(m_server.get("/api/v1/admin/account", leaked).status, 200);
    expect_accepted(report(body_of({leaked})));
    auto after = m_server.get("/api/v1/admin/account", leaked);
    expect_error(after, 401);
    EXPECT_EQ(m_server.get("/api/v1/auth/check?permission=analytics:read", leaked).status, 401);
    EXPECT_EQ(list(m_full).status, 200); // only the reported token
}

TEST_F(CredentialsRevokeApi, SameStatusAndBodyForValidRevokedUnknownAndMalformed) {
    auto valid = m_server.create_token("alice@example.com");
    auto revoked = m_server.create_token("alice@example.com");
    ASSERT_EQ(revoke(m_full, id_of(revoked)).status, 200);
    std::string bad_checksum = unknown_token('A');
    bad_checksum.back() = bad_checksum.back() == 'a' ? 'b' : 'a';
    std::vector<Reply> replies = {report(body_of({valid})),
                                  report(body_of({revoked})),
                                  report(body_of({unknown_token('B')})),
                                  report(body_of({bad_checksum})),
                                  report(body_of({"not a token"})),
                                  report(body_of({""})),
                                  report(body_of({valid}))}; // now revoked by the first report
    for (const auto& reply : replies) {
        expect_accepted(reply);
        EXPECT_EQ(reply.raw, replies.front().raw);
        EXPECT_EQ(reply.header("Content-Type"), replies.front().header("Content-Type"));
    }
    EXPECT_EQ(list(valid).status, 401);
}

// A rotation with a grace leaves two working keys; reporting the old one kills both. The
// rotation is written through the store, as the rotate route does (SPEC §11.3).
TEST_F(CredentialsRevokeApi, ReportedPreviousKeyRevokesTheWholeToken) {
    auto old_key = m_server.create_token("alice@example.com");
    auto id = id_of(old_key);
    auto new_key = tokend::crypto::new_token();
    tokend::crypto::TokenHasher hasher(m_server.secret_key());
    m_server.app().store().write([&](tokend::store::Connection& c) {
        auto token = tokend::store::tokens::by_id(c, id).value();
        token.display_key = tokend::core::display_key(new_key);
        token.rotated_at = tokend::core::now_timestamp();
        token.previous_expires_at = "2999-01-01T00:00:00.000Z";
        ASSERT_TRUE(
            tokend::store::tokens::rotate(c, token, {hasher.hash(new_key), hasher.hash(old_key)}));
    });
    ASSERT_EQ(list(old_key).status, 200);
    ASSERT_EQ(list(new_key).status, 200);
    expect_accepted(report(body_of({old_key})));
    EXPECT_EQ(list(old_key).status, 401);
    EXPECT_EQ(list(new_key).status, 401);
}

TEST_F(CredentialsRevokeApi, AuthorizationHeaderIsIgnored) {
    auto bystander = m_server.create_token("alice@example.com");
    auto leaked = m_server.create_token("alice@example.com");
    expect_accepted(report(body_of({leaked}), {{"Authorization", "Bearer " + bystander}}));
    expect_accepted(report(body_of({unknown_token('C')}), {{"Authorization", "Bearer nonsense"}}));
    EXPECT_EQ(list(bystander).status, 200);
    EXPECT_EQ(list(leaked).status, 401);
}

TEST_F(CredentialsRevokeApi, ManyStringsAtOnceRevokeEveryMatch) {
    auto first = m_server.create_token("alice@example.com");
    auto second = m_server.create_token("alice@example.com");
    std::vector<std::string> credentials(998, unknown_token('D'));
    credentials.push_back(first);
    credentials.push_back(second);
    expect_accepted(report(body_of(credentials)));
    EXPECT_EQ(list(first).status, 401);
    EXPECT_EQ(list(second).status, 401);
    EXPECT_EQ(list(m_full).status, 200);
}

TEST_F(CredentialsRevokeApi, BodyOfAnotherShapeGets422AndChangesNothing) {
    auto leaked = m_server.create_token("alice@example.com");
    std::vector<std::string> too_many(1000, unknown_token('E'));
    too_many.push_back(leaked); // 1,001 strings
    for (const std::string& body : {
             std::string(""),
             std::string("{}"),
             std::string("not json"),
             std::string("[\"" + leaked + "\"]"),
             std::string(R"({"credentials":[]})"),
             std::string(R"({"credentials":")" + leaked + "\"}"),
             std::string(R"({"credentials":null})"),
             std::string(R"({"credentials":[")" + leaked + R"(",5]})"),
             std::string(R"({"credentials":[")" + leaked + R"(",null]})"),
             std::string(R"({"credentials":[[")" + leaked + R"("]]})"),
             std::string(R"({"credentials":[")" + leaked + R"("],"extra":1})"),
             std::string(R"({"tokens":[")" + leaked + R"("]})"),
             body_of(too_many),
         }) {
        auto reply = report(body);
        expect_error(reply, 422);
        EXPECT_FALSE(contains_token_prefix(message_of(reply))) << message_of(reply);
    }
    EXPECT_EQ(list(leaked).status, 200);
}

TEST_F(CredentialsRevokeApi, BodyOver64KiBGets413AndChangesNothing) {
    auto leaked = m_server.create_token("alice@example.com");
    std::vector<std::string> credentials = {leaked, std::string(70 * 1024, 'x')};
    expect_error(report(body_of(credentials)), 413);
    EXPECT_EQ(list(leaked).status, 200);
}

TEST_F(CredentialsRevokeApi, SixtyReportsPerAddressThen429WithRetryAfter) {
    for (int i = 0; i < 60; ++i) {
        ASSERT_EQ(report(body_of({unknown_token('F')})).status, 202) << i;
    }
    auto leaked = m_server.create_token("alice@example.com");
    auto refused = report(body_of({leaked}));
    expect_error(refused, 429);
    EXPECT_GE(std::stoi(refused.header("Retry-After")), 1);
    EXPECT_EQ(list(leaked).status, 200); // a refused report revokes nothing
    // Bad bodies count too: the limit is on reports, not on successful ones.
    expect_error(report("{}"), 429);
}

TEST_F(CredentialsRevokeApi, RouteAnswersOnlyPost) {
    expect_error(m_server.get(kRevoke), 405);
}

namespace {
tokend::AppConfig revoke_disabled() {
    tokend::AppConfig config;
    config.server.credentials_revoke = false;
    return config;
}

class DisabledCredentialsRevokeApi : public CredentialsRevokeApi {
protected:
    DisabledCredentialsRevokeApi() : CredentialsRevokeApi(revoke_disabled()) {}
};
} // namespace

TEST_F(DisabledCredentialsRevokeApi, RouteIsGoneLikeAnUnknownOne) {
    auto leaked = m_server.create_token("alice@example.com");
    auto reply = report(body_of({leaked}));
    expect_error(reply, 404);
    EXPECT_EQ(message_of(reply), message_of(m_server.post("/api/v1/credentials/nope", "", "{}")));
    EXPECT_EQ(list(leaked).status, 200);
}
