// POST /api/v1/introspect (SPEC §11.10, RFC 7662): every field of an active key, exactly
// {"active":false} for every inactive case, form and JSON bodies, and the caller's own problems
// answered with the usual envelope.
#include <thread>

#include "core/token_format.hpp"
#include "crypto/random.hpp"
#include "crypto/token_hasher.hpp"
#include "list_fixture.hpp"

using namespace tokend::test;

namespace {
const std::string kIntrospectPath = "/api/v1/introspect";
const std::string kInactive = R"({"active":false})";

long long epoch_seconds(const std::string& timestamp) {
    auto when = tokend::core::parse_timestamp(timestamp);
    EXPECT_TRUE(when) << timestamp;
    return when ? std::chrono::duration_cast<std::chrono::seconds>(when->time_since_epoch()).count()
                : 0;
}

std::string form_escape(const std::string& text) {
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '_' || c == '-' || c == '.') {
            out.push_back(static_cast<char>(c));
        } else {
            char buffer[4];
            std::snprintf(buffer, sizeof buffer, "%%%02X", c);
            out += buffer;
        }
    }
    return out;
}

class Introspect : public ListApi {
protected:
    Reply introspect_form(const std::string& body, const std::string& caller = "") {
        return m_server.send("POST", kIntrospectPath, bearer(caller.empty() ? m_full : caller),
                             body, "application/x-www-form-urlencoded");
    }
    Reply introspect(const std::string& key, const std::string& caller = "") {
        return introspect_form("token=" + form_escape(key), caller);
    }
    Reply introspect_json(const std::string& body, const std::string& caller = "") {
        return m_server.send("POST", kIntrospectPath, bearer(caller.empty() ? m_full : caller),
                             body, "application/json");
    }
    static httplib::Headers bearer(const std::string& token) {
        return {{"Authorization", "Bearer " + token}};
    }
    void expect_inactive(const Reply& reply) {
        EXPECT_EQ(reply.status, 200);
        EXPECT_EQ(reply.raw, kInactive);
        EXPECT_EQ(reply.header("Cache-Control"), "no-store");
        EXPECT_EQ(reply.header("Content-Type").rfind("application/json", 0), 0u);
    }
    nlohmann::json token_object(const std::string& id) {
        for (const auto& t : live_tokens()) {
            if (t["_id"] == id) {
                return t;
            }
        }
        ADD_FAILURE() << "not listed: " << id;
        return {};
    }
};
} // namespace

TEST_F(Introspect, ActiveKeyShowsEveryFieldInOrder) {
    std::string w1 = m_server.create_website("alice@example.com", "one.example.com");
    std::string key =
        m_server.create_token("alice@example.com", "analytics:read,websites:read", w1);
    std::string id = id_of(key);
    auto reply = introspect(key);
    ASSERT_EQ(reply.status, 200) << reply.raw;
    EXPECT_EQ(reply.header("Cache-Control"), "no-store");
    auto created_at = token_object(id)["createdAt"].get<std::string>();
    nlohmann::ordered_json expected = {{"active", true},
                                       {"scope", "analytics:read websites:read"},
                                       {"client_id", id},
                                       {"jti", id},
                                       {"sub", m_alice_id},
                                       {"token_type", "Bearer"},
                                       {"iat", epoch_seconds(created_at)},
                                       {"website_ids", {w1}},
                                       {"allowed_ips", nlohmann::json::array()}};
    EXPECT_EQ(reply.raw, expected.dump());
}

TEST_F(Introspect, FullAccessTokenHasStarScopeAndNoWebsites) {
    auto reply = introspect(m_full);
    ASSERT_EQ(reply.status, 200) << reply.raw;
    EXPECT_EQ(reply.body["scope"], "*");
    EXPECT_EQ(reply.body["website_ids"], nlohmann::json::array());
    EXPECT_FALSE(reply.body.contains("exp")) << "a key that never expires has no exp";
}

TEST_F(Introspect, ReplyHasNoEnvelopeAndNeverTheKey) {
    std::string key = m_server.create_token("alice@example.com", "analytics:read");
    auto reply = introspect(key);
    EXPECT_FALSE(reply.body.contains("status"));
    EXPECT_FALSE(reply.body.contains("data"));
    EXPECT_EQ(reply.raw.find(key), std::string::npos);
    EXPECT_EQ(reply.raw.find(key.substr(4)), std::string::npos);
    EXPECT_FALSE(contains_token_prefix(reply.raw));
}

TEST_F(Introspect, JsonBodyWorksLikeTheForm) {
    std::string key = m_server.create_token("alice@example.com", "analytics:read");
    auto form = introspect(key);
    auto json = introspect_json(nlohmann::json{{"token", key}}.dump());
    ASSERT_EQ(form.status, 200);
    EXPECT_EQ(json.raw, form.raw);
    EXPECT_EQ(json.header("Cache-Control"), "no-store");
}

TEST_F(Introspect, TokenTypeHintIsAcceptedAndIgnored) {
    auto plain = introspect(m_full);
    auto hinted = introspect_form("token=" + m_full + "&token_type_hint=access_token");
    auto refresh = introspect_form("token_type_hint=refresh_token&token=" + m_full);
    auto json = introspect_json(
        nlohmann::json{{"token", m_full}, {"token_type_hint", "access_token"}}.dump());
    EXPECT_EQ(hinted.raw, plain.raw);
    EXPECT_EQ(refresh.raw, plain.raw);
    EXPECT_EQ(json.raw, plain.raw);
}

TEST_F(Introspect, UnknownFormParametersAreIgnored) {
    auto reply = introspect_form("client_id=x&token=" + m_full + "&extra");
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.body["active"], true);
}

TEST_F(Introspect, RevokedKeyIsInactive) {
    std::string key = m_server.create_token("alice@example.com");
    data_of(revoke(m_full, id_of(key)));
    expect_inactive(introspect(key));
}

TEST_F(Introspect, MalformedKeysAreInactive) {
    std::string wrong_checksum =
        m_full.substr(0, m_full.size() - 1) + (m_full.back() == 'a' ? "b" : "a");
    for (const std::string& key :
         {std::string(""), std::string("dft_"), std::string("hello"), std::string(5000, 'x'),
          wrong_checksum, m_full + "x", m_full.substr(4), " " + m_full,
          std::string("df_") + m_full.substr(4)}) {
        expect_inactive(introspect(key));
    }
}

TEST_F(Introspect, UnknownWellFormedKeyIsInactive) {
    expect_inactive(introspect(tokend::crypto::new_token()));
}

TEST_F(Introspect, AnotherAccountsKeyIsInactive) {
    m_server.create_account("bob@example.com");
    std::string bob = m_server.create_token("bob@example.com");
    expect_inactive(introspect(bob));
    // And the other way round: bob's full token cannot see alice's keys either.
    expect_inactive(introspect(m_full, bob));
    EXPECT_EQ(introspect(bob, bob).body["active"], true);
}

TEST_F(Introspect, CallerWithoutApiKeysReadGets403Envelope) {
    std::string caller =
        m_server.create_token("alice@example.com", "analytics:read,api-keys:write");
    auto reply = introspect(m_full, caller);
    expect_error(reply, 403);
    EXPECT_NE(message_of(reply).find("api-keys:read"), std::string::npos);
    EXPECT_EQ(reply.raw.find(m_full), std::string::npos);
}

TEST_F(Introspect, CallerWithOnlyApiKeysReadMayIntrospect) {
    std::string caller = m_server.create_token("alice@example.com", "api-keys:read");
    EXPECT_EQ(introspect(m_full, caller).body["active"], true);
}

TEST_F(Introspect, MissingOrBadBearerGets401Envelope) {
    auto none = m_server.send("POST", kIntrospectPath, {}, "token=" + m_full,
                              "application/x-www-form-urlencoded");
    expect_error(none, 401);
    EXPECT_FALSE(none.header("WWW-Authenticate").empty());
    auto bad = introspect(m_full, tokend::crypto::new_token());
    expect_error(bad, 401);
    EXPECT_EQ(bad.raw.find(m_full), std::string::npos);
}

TEST_F(Introspect, MissingTokenParameterIs400Envelope) {
    for (const auto& reply :
         {introspect_form(""), introspect_form("token_type_hint=access_token"),
          introspect_json("{}"), introspect_json(R"({"token_type_hint":"access_token"})"),
          m_server.send("POST", kIntrospectPath, bearer(m_full))}) {
        expect_error(reply, 400);
        EXPECT_EQ(message_of(reply).rfind("token ", 0), 0u) << message_of(reply);
    }
}

TEST_F(Introspect, MalformedBodiesAre400NamingTheProblemWithoutTheKey) {
    std::vector<Reply> replies = {
        introspect_form("token=" + m_full + "&token=" + m_full),
        introspect_form("token=" + m_full + "%zz"),
        introspect_json(nlohmann::json{{"token", 42}}.dump()),
        introspect_json(nlohmann::json{{"token", m_full}, {"token_type_hint", 1}}.dump()),
        introspect_json(nlohmann::json{{"token", m_full}, {"other", 1}}.dump()),
        introspect_json("{\"token\":\"" + m_full + "\""),
        introspect_json(nlohmann::json::array({m_full}).dump()),
    };
    for (const auto& reply : replies) {
        expect_error(reply, 400);
        EXPECT_FALSE(contains_token_prefix(reply.raw)) << reply.raw;
        EXPECT_EQ(reply.raw.find(m_full.substr(4)), std::string::npos) << reply.raw;
    }
}

TEST_F(Introspect, OtherBodyTypesAre415AndOversizedBodies413) {
    expect_error(
        m_server.send("POST", kIntrospectPath, bearer(m_full), "token=" + m_full, "text/plain"),
        415);
    auto big = introspect_form("token=" + m_full + "&pad=" + std::string(70 * 1024, 'a'));
    expect_error(big, 413);
}

TEST_F(Introspect, TokenInTheQueryStringIsNotRead) {
    auto reply = m_server.send("POST", kIntrospectPath + "?token=" + m_full, bearer(m_full));
    expect_error(reply, 400);
}

TEST_F(Introspect, SessionCallerMayIntrospectSameOrigin) {
    m_server.app().accounts().set_password("alice@example.com", "correct horse battery staple");
    auto signed_in = m_server.app().sessions().sign_in(
        "alice@example.com", "correct horse battery staple", {"127.0.0.1", "", ""});
    httplib::Headers headers{{"Cookie", "tokend_session=" + signed_in.secret},
                             {"Origin", "http://127.0.0.1:" + std::to_string(m_server.port())}};
    auto reply = m_server.send("POST", kIntrospectPath, headers, "token=" + m_full,
                               "application/x-www-form-urlencoded");
    ASSERT_EQ(reply.status, 200) << reply.raw;
    EXPECT_EQ(reply.body["active"], true);
    EXPECT_EQ(reply.body["sub"], m_alice_id);
}

TEST_F(Introspect, SessionCallerFromAnotherOriginIsRefused) {
    m_server.app().accounts().set_password("alice@example.com", "correct horse battery staple");
    auto signed_in = m_server.app().sessions().sign_in(
        "alice@example.com", "correct horse battery staple", {"127.0.0.1", "", ""});
    for (const std::string& origin : {std::string(""), std::string("https://evil.example")}) {
        httplib::Headers headers{{"Cookie", "tokend_session=" + signed_in.secret}};
        if (!origin.empty()) {
            headers.emplace("Origin", origin);
        }
        auto reply = m_server.send("POST", kIntrospectPath, headers, "token=" + m_full,
                                   "application/x-www-form-urlencoded");
        expect_error(reply, 403);
    }
}

TEST_F(Introspect, WrongMethodGets405) {
    auto reply = m_server.get(kIntrospectPath, m_full);
    expect_error(reply, 405);
    EXPECT_EQ(reply.header("Allow"), "POST");
}

TEST_F(Introspect, ExpiringKeyShowsExpAndIsInactiveFromThatMomentOn) {
    std::string key = m_server.create_token("alice@example.com", "analytics:read");
    std::string id = id_of(key);
    set_expiry(id, std::chrono::hours(1));
    std::string expires_at = token_object(id)["expiresAt"];
    auto before = introspect(key);
    ASSERT_EQ(before.status, 200) << before.raw;
    EXPECT_EQ(before.body["exp"], epoch_seconds(expires_at));
    // exp sits between iat and website_ids, as SPEC §11.10 lists the members.
    EXPECT_LT(before.raw.find(R"("iat":)"), before.raw.find(R"("exp":)"));
    EXPECT_LT(before.raw.find(R"("exp":)"), before.raw.find(R"("website_ids":)"));
    m_clock.advance(std::chrono::minutes(59));
    EXPECT_EQ(introspect(key).body["active"], true);
    m_clock.advance(std::chrono::minutes(1));
    expect_inactive(introspect(key));
}

TEST_F(Introspect, RotatedAwayKeyWorksUntilItsGraceEndsThenIsInactive) {
    std::string old_key = m_server.create_token("alice@example.com", "analytics:read");
    std::string id = id_of(old_key);
    std::string new_key = tokend::crypto::new_token();
    std::string grace_end =
        tokend::core::format_timestamp(m_clock.clock()() + std::chrono::minutes(10));
    // The rotation's own write (the rotate route's repository call): the old hash becomes the
    // previous key with a deadline.
    m_server.app().store().write([&](tokend::store::Connection& c) {
        auto hashes = tokend::store::tokens::key_hashes(c, id);
        ASSERT_TRUE(hashes.has_value());
        auto token = tokend::store::tokens::by_id(c, id);
        ASSERT_TRUE(token.has_value());
        token->display_key = tokend::core::display_key(new_key);
        token->rotated_at = tokend::core::format_timestamp(m_clock.clock()());
        token->previous_expires_at = grace_end;
        tokend::crypto::TokenHasher hasher(m_server.secret_key());
        tokend::store::tokens::KeyHashes rotated{hasher.hash(new_key), hashes->current};
        ASSERT_TRUE(tokend::store::tokens::rotate(c, *token, rotated));
    });
    auto previous = introspect(old_key);
    ASSERT_EQ(previous.status, 200) << previous.raw;
    EXPECT_EQ(previous.body["jti"], id);
    EXPECT_EQ(previous.body["exp"], epoch_seconds(grace_end));
    auto current = introspect(new_key);
    EXPECT_EQ(current.body["jti"], id);
    EXPECT_FALSE(current.body.contains("exp"));
    m_clock.advance(std::chrono::minutes(10));
    expect_inactive(introspect(old_key));
    EXPECT_EQ(introspect(new_key).body["active"], true);
}

namespace {
class IntrospectFastUsage : public ::testing::Test {
protected:
    static tokend::AppConfig fast_usage() {
        tokend::AppConfig config;
        config.usage_flush_interval = std::chrono::milliseconds(20);
        return config;
    }
    TestServer m_server{fast_usage()};
};
} // namespace

TEST_F(IntrospectFastUsage, IntrospectingAKeyIsNotAUseOfIt) {
    m_server.create_account("alice@example.com");
    std::string caller = m_server.create_token("alice@example.com");
    std::string target = m_server.create_token("alice@example.com", "analytics:read");
    for (int i = 0; i < 5; ++i) {
        auto reply = m_server.send("POST", kIntrospectPath, {{"Authorization", "Bearer " + caller}},
                                   "token=" + target, "application/x-www-form-urlencoded");
        ASSERT_EQ(reply.body["active"], true) << reply.raw;
    }
    // Wait until the caller's own use is flushed: then any use of the target would be too.
    nlohmann::json tokens;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    std::string target_display = target.substr(0, 7) + "..." + target.substr(target.size() - 4);
    nlohmann::json target_last_used;
    bool caller_flushed = false;
    while (!caller_flushed && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(40));
        tokens = m_server.get(kTokensPath, caller).body["data"];
        for (const auto& t : tokens) {
            if (t["displayKey"] == target_display) {
                target_last_used = t["lastUsedAt"];
            } else if (!t["lastUsedAt"].is_null()) {
                caller_flushed = true;
            }
        }
    }
    ASSERT_TRUE(caller_flushed) << tokens;
    EXPECT_TRUE(target_last_used.is_null()) << tokens;
}
