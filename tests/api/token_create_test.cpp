// POST /api/v1/admin/access-tokens (SPEC §6): the response, inheritance of the caller's scope,
// every 400/403 row, name rules and the per-account limit.
#include "token_fixture.hpp"

#include <atomic>
#include <thread>

#include "core/token_format.hpp"

using namespace tokend::test;
using nlohmann::json;

namespace {
std::string ids_body(const std::string& field, const std::vector<std::string>& ids) {
    return json{{field, ids}}.dump();
}
} // namespace

TEST_F(TokenApi, CreateReturnsTheTokenObjectPlusKey) {
    auto reply = create(m_full, R"({"name":"ci"})");
    auto data = data_of(reply);
    ASSERT_EQ(data.size(), 1u);
    auto t = data[0];
    auto expected_keys = kTokenKeys;
    expected_keys.insert("key");
    EXPECT_EQ(keys_of(t), expected_keys);
    EXPECT_TRUE(is_object_id(t["_id"])) << t;
    EXPECT_EQ(t["name"], "ci");
    EXPECT_EQ(t["scope"], "user");
    EXPECT_EQ(t["lastUsedAt"], nullptr);
    EXPECT_TRUE(is_timestamp(t["createdAt"])) << t;
}

TEST_F(TokenApi, CreatedKeyIsWellFormedAndMatchesItsDisplayKey) {
    auto t = created(m_full, "{}");
    std::string key = t["key"];
    EXPECT_TRUE(std::regex_match(key, std::regex("^dft_[0-9A-Za-z]{36}$"))) << key;
    EXPECT_TRUE(tokend::core::is_well_formed_token(key));
    EXPECT_EQ(t["displayKey"], key.substr(0, 7) + "..." + key.substr(36));
}

TEST_F(TokenApi, CreateResponseIsNotCached) {
    auto reply = create(m_full, "{}");
    EXPECT_EQ(reply.header("Cache-Control"), "no-store");
}

TEST_F(TokenApi, CreatedKeyWorksAtOnce) {
    std::string key = created(m_full, "{}")["key"];
    EXPECT_EQ(data_of(list(key)).size(), 2u);
}

TEST_F(TokenApi, CreatedTokenAppearsInTheListWithoutItsKey) {
    auto t = created(m_full, R"({"name":"listed"})");
    auto first = live_tokens()[0];
    EXPECT_EQ(first["_id"], t["_id"]);
    EXPECT_FALSE(first.contains("key"));
    auto without_key = t;
    without_key.erase("key");
    EXPECT_EQ(first, without_key);
}

TEST_F(TokenApi, CreateWithoutBodyInheritsFullAccess) {
    auto reply = m_server.send("POST", kTokensPath, {{"Authorization", "Bearer " + m_full}});
    auto data = data_of(reply);
    ASSERT_EQ(data.size(), 1u);
    EXPECT_EQ(data[0]["permissions"], json::array({"*"}));
    EXPECT_EQ(data[0]["websiteIds"], json::array());
    EXPECT_EQ(data[0]["name"], nullptr);
}

TEST_F(TokenApi, CreateWithEmptyObjectInheritsFullAccess) {
    auto t = created(m_full, "{}");
    EXPECT_EQ(t["permissions"], json::array({"*"}));
    EXPECT_EQ(t["websiteIds"], json::array());
}

TEST_F(TokenApi, OmittedPermissionsInheritTheCallersInOrder) {
    std::string caller =
        m_server.create_token("alice@example.com", "api-keys:write,goals:read,analytics:read");
    auto t = created(caller, "{}");
    EXPECT_EQ(t["permissions"], json::array({"api-keys:write", "goals:read", "analytics:read"}));
}

TEST_F(TokenApi, CreateKeepsRequestedPermissionOrder) {
    auto t = created(m_full, R"({"permissions":["team:read","analytics:read","goals:write"]})");
    EXPECT_EQ(t["permissions"], json::array({"team:read", "analytics:read", "goals:write"}));
}

TEST_F(TokenApi, CreateRemovesDuplicatePermissionsKeepingFirst) {
    auto t = created(
        m_full, R"({"permissions":["goals:read","analytics:read","goals:read","analytics:read"]})");
    EXPECT_EQ(t["permissions"], json::array({"goals:read", "analytics:read"}));
}

TEST_F(TokenApi, CreateCollapsesAListWithStarToStar) {
    auto t = created(m_full, R"({"permissions":["analytics:read","*","goals:read"]})");
    EXPECT_EQ(t["permissions"], json::array({"*"}));
}

TEST_F(TokenApi, CreateAcceptsEveryValidPermission) {
    const char* all[] = {"analytics:read", "goals:read",     "goals:write",   "payments:read",
                         "payments:write", "identify:write", "websites:read", "websites:write",
                         "settings:read",  "settings:write", "funnels:read",  "funnels:write",
                         "alerts:read",    "alerts:write",   "team:read",     "team:write",
                         "api-keys:read",  "api-keys:write"};
    json permissions = json::array();
    for (const char* p : all) {
        permissions.push_back(p);
    }
    auto t = created(m_full, json{{"permissions", permissions}}.dump());
    EXPECT_EQ(t["permissions"], permissions);
}

TEST_F(TokenApi, CreateRejectsEmptyPermissions) {
    auto reply = create(m_full, R"({"permissions":[]})");
    expect_error(reply, 400);
    EXPECT_NE(message_of(reply).find("permissions"), std::string::npos) << message_of(reply);
    EXPECT_EQ(live_tokens().size(), 1u);
}

TEST_F(TokenApi, CreateRejectsUnknownPermissionNamingIt) {
    auto reply = create(m_full, R"({"permissions":["analytics:read","goals:admin"]})");
    expect_error(reply, 400);
    EXPECT_NE(message_of(reply).find("goals:admin"), std::string::npos) << message_of(reply);
    EXPECT_EQ(live_tokens().size(), 1u);
}

TEST_F(TokenApi, CreateRejectsWildcardPatterns) {
    for (const char* bad : {"*:read", "websites:*", "Analytics:Read"}) {
        auto reply = create(m_full, json{{"permissions", {bad}}}.dump());
        expect_error(reply, 400);
        EXPECT_NE(message_of(reply).find(bad), std::string::npos) << message_of(reply);
    }
    EXPECT_EQ(live_tokens().size(), 1u);
}

TEST_F(TokenApi, CreateRejectsPermissionTheCallerLacksNamingIt) {
    std::string caller = m_server.create_token("alice@example.com", "api-keys:write,goals:read");
    auto reply = create(caller, R"({"permissions":["goals:read","payments:read"]})");
    expect_error(reply, 403);
    EXPECT_NE(message_of(reply).find("payments:read"), std::string::npos) << message_of(reply);
    EXPECT_EQ(live_tokens().size(), 2u);
}

TEST_F(TokenApi, CreateRejectsStarFromACallerWithoutStar) {
    std::string caller = m_server.create_token("alice@example.com", "api-keys:write,goals:read");
    auto reply = create(caller, R"({"permissions":["*"]})");
    expect_error(reply, 403);
    EXPECT_NE(message_of(reply).find('*'), std::string::npos) << message_of(reply);
}

TEST_F(TokenApi, CreateNeedsApiKeysWrite) {
    std::string reader = m_server.create_token("alice@example.com", "api-keys:read");
    auto reply = create(reader, R"({"permissions":["api-keys:read"]})");
    expect_error(reply, 403);
    EXPECT_NE(message_of(reply).find("api-keys:write"), std::string::npos) << message_of(reply);
    EXPECT_EQ(live_tokens().size(), 2u);
}

TEST_F(TokenApi, CreateWithOwnWebsitesRestrictsTheToken) {
    std::string w1 = m_server.create_website("alice@example.com", "one.example.com");
    auto t = created(m_full, ids_body("websiteIds", {w1}));
    EXPECT_EQ(t["websiteIds"], json::array({w1}));
}

TEST_F(TokenApi, CreateRemovesDuplicateWebsiteIds) {
    std::string w1 = m_server.create_website("alice@example.com", "one.example.com");
    std::string w2 = m_server.create_website("alice@example.com", "two.example.com");
    auto t = created(m_full, ids_body("websiteIds", {w2, w1, w2}));
    EXPECT_EQ(t["websiteIds"], json::array({w2, w1}));
}

TEST_F(TokenApi, CreateRejectsMalformedWebsiteId) {
    auto reply = create(m_full, R"({"websiteIds":["not-an-id"]})");
    expect_error(reply, 400);
    EXPECT_NE(message_of(reply).find("websiteIds[0]"), std::string::npos) << message_of(reply);
    EXPECT_EQ(live_tokens().size(), 1u);
}

TEST_F(TokenApi, CreateRejectsOtherAccountsWebsiteNamingIt) {
    m_server.create_account("bob@example.com");
    std::string bobs = m_server.create_website("bob@example.com", "bob.example.com");
    auto reply = create(m_full, ids_body("websiteIds", {bobs}));
    expect_error(reply, 403);
    EXPECT_NE(message_of(reply).find(bobs), std::string::npos) << message_of(reply);
    EXPECT_EQ(live_tokens().size(), 1u);
}

TEST_F(TokenApi, CreateRejectsNonexistentWebsiteLikeAnotherAccounts) {
    m_server.create_account("bob@example.com");
    std::string bobs = m_server.create_website("bob@example.com", "bob.example.com");
    const std::string missing = "0123456789abcdef01234567";
    auto other = create(m_full, ids_body("websiteIds", {bobs}));
    auto absent = create(m_full, ids_body("websiteIds", {missing}));
    expect_error(absent, 403);
    std::string normalized = message_of(other);
    normalized.replace(normalized.find(bobs), bobs.size(), missing);
    EXPECT_EQ(message_of(absent), normalized);
}

TEST_F(TokenApi, CreateRejectsWebsiteOutsideTheCallersList) {
    std::string w1 = m_server.create_website("alice@example.com", "one.example.com");
    std::string w2 = m_server.create_website("alice@example.com", "two.example.com");
    std::string caller = m_server.create_token("alice@example.com", "", w1);
    auto reply = create(caller, ids_body("websiteIds", {w1, w2}));
    expect_error(reply, 403);
    EXPECT_NE(message_of(reply).find(w2), std::string::npos) << message_of(reply);
}

TEST_F(TokenApi, RestrictedCallerOmittingWebsitesGetsItsOwnList) {
    std::string w1 = m_server.create_website("alice@example.com", "one.example.com");
    std::string w2 = m_server.create_website("alice@example.com", "two.example.com");
    m_server.create_website("alice@example.com", "three.example.com");
    std::string caller = m_server.create_token("alice@example.com", "", w1 + "," + w2);
    auto t = created(caller, R"({"permissions":["analytics:read"]})");
    EXPECT_EQ(t["websiteIds"], json::array({w1, w2}));
}

TEST_F(TokenApi, RestrictedCallerSendingEmptyWebsitesGetsItsOwnList) {
    std::string w1 = m_server.create_website("alice@example.com", "one.example.com");
    m_server.create_website("alice@example.com", "two.example.com");
    std::string caller = m_server.create_token("alice@example.com", "", w1);
    auto t = created(caller, R"({"websiteIds":[]})");
    EXPECT_EQ(t["websiteIds"], json::array({w1}));
}

TEST_F(TokenApi, RestrictedCallerMayNarrowItsList) {
    std::string w1 = m_server.create_website("alice@example.com", "one.example.com");
    std::string w2 = m_server.create_website("alice@example.com", "two.example.com");
    std::string caller = m_server.create_token("alice@example.com", "", w1 + "," + w2);
    auto t = created(caller, ids_body("websiteIds", {w2}));
    EXPECT_EQ(t["websiteIds"], json::array({w2}));
}

TEST_F(TokenApi, UnrestrictedCallerSendingEmptyWebsitesGetsAllWebsites) {
    m_server.create_website("alice@example.com", "one.example.com");
    auto t = created(m_full, R"({"websiteIds":[]})");
    EXPECT_EQ(t["websiteIds"], json::array());
}

TEST_F(TokenApi, CreateRejectsUnknownField) {
    auto reply = create(m_full, R"({"name":"x","scope":"admin"})");
    expect_error(reply, 400);
    EXPECT_NE(message_of(reply).find("scope"), std::string::npos) << message_of(reply);
    EXPECT_EQ(live_tokens().size(), 1u);
}

TEST_F(TokenApi, CreateRejectsBodiesThatAreNotObjects) {
    for (const char* body : {"[]", "[{}]", "\"name\"", "42", "null", "true"}) {
        expect_error(create(m_full, body), 400);
    }
    EXPECT_EQ(live_tokens().size(), 1u);
}

TEST_F(TokenApi, CreateTrimsTheName) {
    EXPECT_EQ(created(m_full, R"({"name":"  deploy bot  "})")["name"], "deploy bot");
}

TEST_F(TokenApi, CreateTurnsEmptyOrBlankNameIntoNull) {
    EXPECT_EQ(created(m_full, R"({"name":""})")["name"], nullptr);
    EXPECT_EQ(created(m_full, R"({"name":"    "})")["name"], nullptr);
    EXPECT_EQ(created(m_full, R"({"name":null})")["name"], nullptr);
}

TEST_F(TokenApi, CreateAcceptsOneHundredCodePointName) {
    std::string name;
    for (int i = 0; i < 100; ++i) {
        name += "é";
    }
    EXPECT_EQ(created(m_full, json{{"name", name}}.dump())["name"], name);
}

TEST_F(TokenApi, CreateRejectsOneHundredAndOneCodePointName) {
    std::string name;
    for (int i = 0; i < 101; ++i) {
        name += "é";
    }
    auto reply = create(m_full, json{{"name", name}}.dump());
    expect_error(reply, 400);
    EXPECT_NE(message_of(reply).find("name"), std::string::npos) << message_of(reply);
}

TEST_F(TokenApi, CreateRejectsControlCharactersInName) {
    for (const char* body : {R"({"name":"a\u0001b"})", R"({"name":"a\nb"})",
                             R"({"name":"a\u007fb"})", R"({"name":"tab\there"})"}) {
        auto reply = create(m_full, body);
        expect_error(reply, 400);
        EXPECT_NE(message_of(reply).find("name"), std::string::npos) << message_of(reply);
    }
    EXPECT_EQ(live_tokens().size(), 1u);
}

TEST_F(TokenApi, CreateRejectsTheTwentyFirstLiveToken) {
    for (int i = 0; i < 19; ++i) { // the fixture's own token is the first
        created(m_full, "{}");
    }
    EXPECT_EQ(live_tokens().size(), 20u);
    auto reply = create(m_full, "{}");
    expect_error(reply, 400);
    EXPECT_EQ(live_tokens().size(), 20u);
}

TEST_F(TokenApi, RevokingMakesRoomUnderTheLimit) {
    std::string last;
    for (int i = 0; i < 19; ++i) {
        last = created(m_full, "{}")["_id"].get<std::string>();
    }
    expect_error(create(m_full, "{}"), 400);
    data_of(revoke(m_full, last));
    created(m_full, "{}");
}

TEST_F(TokenApi, LimitCountsEachAccountSeparately) {
    for (int i = 0; i < 19; ++i) {
        created(m_full, "{}");
    }
    m_server.create_account("bob@example.com");
    std::string bob = m_server.create_token("bob@example.com");
    data_of(create(bob, "{}"));
}

namespace {
class SmallLimit : public TokenApi {
protected:
    static tokend::AppConfig limit_of_three() {
        tokend::AppConfig config;
        config.max_tokens_per_account = 3;
        return config;
    }
    SmallLimit() : TokenApi(limit_of_three()) {}
};
} // namespace

TEST_F(SmallLimit, HonoursTheConfiguredLimit) {
    created(m_full, "{}");
    created(m_full, "{}");
    auto reply = create(m_full, "{}");
    expect_error(reply, 400);
    EXPECT_NE(message_of(reply).find('3'), std::string::npos) << message_of(reply);
    EXPECT_EQ(live_tokens().size(), 3u);
}

TEST_F(TokenApi, ConcurrentCreatesNeverPassTheLimit) {
    std::atomic<int> accepted{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 6; ++t) {
        threads.emplace_back([&] {
            httplib::Client client("127.0.0.1", m_server.port());
            for (int i = 0; i < 6; ++i) {
                auto result =
                    client.Post(kTokensPath.c_str(), {{"Authorization", "Bearer " + m_full}}, "{}",
                                "application/json");
                if (result && result->status == 200) {
                    ++accepted;
                }
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(accepted.load(), 19);
    EXPECT_EQ(live_tokens().size(), 20u);
}
