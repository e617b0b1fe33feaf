// Admin-page sessions and first-run setup (SPEC §7): cookie flags, same-origin writes,
// server-side sign-out, sign-in throttling, and the one-time setup code.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "core/error.hpp"
#include "support/test_database.hpp"
#include "support/test_server.hpp"

namespace {

using tokend::test::Reply;
using tokend::test::TestServer;

constexpr const char* kPassword = "correct horse battery staple";

std::string cookie_value(const Reply& reply) {
    std::string header = reply.header("Set-Cookie");
    const std::string prefix = "tokend_session=";
    if (header.rfind(prefix, 0) != 0) {
        return "";
    }
    return header.substr(prefix.size(), header.find(';') - prefix.size());
}

class SessionApi : public ::testing::Test {
protected:
    void SetUp() override {
        server.app().accounts().create("owner@example.com", std::nullopt, kPassword);
    }

    std::string origin() const { return "http://127.0.0.1:" + std::to_string(server.port()); }

    Reply sign_in(const std::string& email, const std::string& password) {
        nlohmann::json body = {{"email", email}, {"password", password}};
        return server.send("POST", "/api/v1/session", {}, body.dump());
    }

    Reply with_cookie(const std::string& method, const std::string& path, const std::string& cookie,
                      const std::string& origin_header = "", const std::string& body = "") {
        httplib::Headers headers{{"Cookie", "tokend_session=" + cookie}};
        if (!origin_header.empty()) {
            headers.emplace("Origin", origin_header);
        }
        return server.send(method, path, headers, body);
    }

    TestServer server;
};

TEST_F(SessionApi, SignInSetsHttpOnlyStrictSessionCookie) {
    auto reply = sign_in("owner@example.com", kPassword);
    ASSERT_EQ(reply.status, 200) << reply.raw;
    std::string cookie = reply.header("Set-Cookie");
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
    EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos) << cookie;
    EXPECT_NE(cookie.find("Path=/"), std::string::npos) << cookie;
    EXPECT_NE(cookie.find("Max-Age="), std::string::npos) << cookie;
    EXPECT_GE(cookie_value(reply).size(), 32u);
    EXPECT_EQ(reply.body["data"][0]["email"], "owner@example.com");
}

TEST_F(SessionApi, WrongPasswordAndUnknownEmailGetTheSameAnswer) {
    auto wrong = sign_in("owner@example.com", "not the password");
    auto unknown = sign_in("nobody@example.com", "not the password");
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(unknown.status, 401);
    EXPECT_EQ(wrong.body, unknown.body);
    EXPECT_TRUE(wrong.header("Set-Cookie").empty());
}

TEST_F(SessionApi, SessionActsWithFullAccessForReads) {
    std::string cookie = cookie_value(sign_in("owner@example.com", kPassword));
    auto reply = with_cookie("GET", "/api/v1/admin/access-tokens", cookie);
    EXPECT_EQ(reply.status, 200) << reply.raw;
    auto session = with_cookie("GET", "/api/v1/session", cookie);
    EXPECT_EQ(session.status, 200);
    EXPECT_EQ(session.body["data"][0]["email"], "owner@example.com");
}

TEST_F(SessionApi, SameOriginCookieWriteCreatesAToken) {
    std::string cookie = cookie_value(sign_in("owner@example.com", kPassword));
    auto reply =
        with_cookie("POST", "/api/v1/admin/access-tokens", cookie, origin(), R"({"name":"page"})");
    ASSERT_EQ(reply.status, 200) << reply.raw;
    EXPECT_EQ(reply.body["data"][0]["permissions"], nlohmann::json::array({"*"}));
}

TEST_F(SessionApi, CookieWriteWithoutOriginIsRefusedAndChangesNothing) {
    std::string cookie = cookie_value(sign_in("owner@example.com", kPassword));
    auto reply = with_cookie("POST", "/api/v1/admin/access-tokens", cookie, "", "{}");
    EXPECT_EQ(reply.status, 403) << reply.raw;
    auto list = with_cookie("GET", "/api/v1/admin/access-tokens", cookie);
    EXPECT_TRUE(list.body["data"].empty()) << list.raw;
}

TEST_F(SessionApi, CookieWriteFromAnotherSiteIsRefusedAndChangesNothing) {
    std::string cookie = cookie_value(sign_in("owner@example.com", kPassword));
    auto reply =
        with_cookie("POST", "/api/v1/admin/access-tokens", cookie, "https://evil.example", "{}");
    EXPECT_EQ(reply.status, 403) << reply.raw;
    auto list = with_cookie("GET", "/api/v1/admin/access-tokens", cookie);
    EXPECT_TRUE(list.body["data"].empty()) << list.raw;
}

TEST_F(SessionApi, SignOutEndsTheSessionOnTheServer) {
    std::string cookie = cookie_value(sign_in("owner@example.com", kPassword));
    auto out = with_cookie("DELETE", "/api/v1/session", cookie, origin());
    EXPECT_EQ(out.status, 200) << out.raw;
    EXPECT_NE(out.header("Set-Cookie").find("Max-Age=0"), std::string::npos);
    // A copy of the cookie kept by an attacker is worthless now.
    EXPECT_EQ(with_cookie("GET", "/api/v1/session", cookie).status, 401);
    EXPECT_EQ(with_cookie("GET", "/api/v1/admin/access-tokens", cookie).status, 401);
}

TEST_F(SessionApi, MadeUpCookieIsRefused) {
    auto reply = with_cookie("GET", "/api/v1/admin/access-tokens", "forged-session-value");
    EXPECT_EQ(reply.status, 401);
}

TEST_F(SessionApi, RepeatedFailuresForOneEmailAreRefusedWith429AndRetryAfter) {
    Reply last;
    for (int i = 0; i < 6; ++i) {
        last = sign_in("owner@example.com", "wrong password " + std::to_string(i));
    }
    EXPECT_EQ(last.status, 429) << last.raw;
    EXPECT_GT(std::stoi(last.header("Retry-After")), 0);
    EXPECT_EQ(last.body["error"]["code"], 429);
    // Even the right password is refused while throttled.
    EXPECT_EQ(sign_in("owner@example.com", kPassword).status, 429);
}

TEST_F(SessionApi, RepeatedFailuresFromOneAddressAreRefusedAcrossEmails) {
    Reply last;
    for (int i = 0; i < 6; ++i) {
        last = sign_in("guess" + std::to_string(i) + "@example.com", "wrong password");
    }
    EXPECT_EQ(last.status, 429) << last.raw;
    EXPECT_FALSE(last.header("Retry-After").empty());
}

TEST_F(SessionApi, OneFailureThenTheRightPasswordSignsIn) {
    EXPECT_EQ(sign_in("owner@example.com", "typo password").status, 401);
    EXPECT_EQ(sign_in("owner@example.com", kPassword).status, 200);
}

TEST_F(SessionApi, SignInFromAnotherSiteIsRefused) {
    nlohmann::json body = {{"email", "owner@example.com"}, {"password", kPassword}};
    auto reply =
        server.send("POST", "/api/v1/session", {{"Origin", "https://evil.example"}}, body.dump());
    EXPECT_EQ(reply.status, 403);
    EXPECT_TRUE(reply.header("Set-Cookie").empty());
}

TEST_F(SessionApi, SessionSecretIsNotStoredInTheDatabase) {
    std::string cookie = cookie_value(sign_in("owner@example.com", kPassword));
    ASSERT_FALSE(cookie.empty());
    std::vector<std::filesystem::path> files = {server.data_dir() / "data" / "tokend.db",
                                                server.data_dir() / "data" / "tokend.db-wal"};
    if (tokend::test::on_postgres()) {
        files = {server.data_dir() / "rows.txt"};
        tokend::test::dump_rows(files[0]);
    }
    for (const auto& file : files) {
        std::ifstream in(file, std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        EXPECT_EQ(bytes.find(cookie), std::string::npos) << file;
        EXPECT_EQ(bytes.find(kPassword), std::string::npos) << file;
    }
}

TEST_F(SessionApi, TheOwnersSessionDeletesAWebsiteButATokenCannot) {
    std::string website = server.create_website("owner@example.com", "shop.example");
    std::string token = server.create_token("owner@example.com");
    auto by_token = server.del("/api/v1/admin/websites/" + website, token);
    EXPECT_EQ(by_token.status, 403) << by_token.raw;
    EXPECT_EQ(server.get("/api/v1/admin/websites/" + website, token).status, 200);

    std::string cookie = cookie_value(sign_in("owner@example.com", kPassword));
    auto by_page = with_cookie("DELETE", "/api/v1/admin/websites/" + website, cookie, origin());
    EXPECT_EQ(by_page.status, 200) << by_page.raw;
    EXPECT_EQ(server.get("/api/v1/admin/websites/" + website, token).status, 403);
}

TEST_F(SessionApi, AMembersSessionCannotDeleteTheWebsite) {
    std::string website = server.create_website("owner@example.com", "shop.example");
    server.app().accounts().create("member@example.com", std::nullopt, kPassword);
    std::string owner_token = server.create_token("owner@example.com");
    nlohmann::json add = {{"email", "member@example.com"}, {"role", "member"}};
    ASSERT_EQ(
        server.post("/api/v1/admin/websites/" + website + "/team", owner_token, add.dump()).status,
        200);

    std::string cookie = cookie_value(sign_in("member@example.com", kPassword));
    auto reply = with_cookie("DELETE", "/api/v1/admin/websites/" + website, cookie, origin());
    EXPECT_EQ(reply.status, 403) << reply.raw;
    EXPECT_EQ(server.get("/api/v1/admin/websites/" + website, owner_token).status, 200);
}

TEST_F(SessionApi, PasswordSetLaterAllowsSignIn) {
    server.app().accounts().create("late@example.com", std::nullopt, std::nullopt);
    EXPECT_EQ(sign_in("late@example.com", "new password 1").status, 401);
    server.app().accounts().set_password("late@example.com", "new password 1");
    EXPECT_EQ(sign_in("late@example.com", "new password 1").status, 200);
}

class FirstRun : public ::testing::Test {
protected:
    Reply setup(const std::string& code, const std::string& email) {
        nlohmann::json body = {
            {"code", code}, {"email", email}, {"password", kPassword}, {"name", "Owner"}};
        return server.send("POST", "/api/v1/setup", {}, body.dump());
    }
    TestServer server;
};

TEST_F(FirstRun, SetupIsRequiredWhileNoAccountExists) {
    auto reply = server.get("/api/v1/setup");
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.body["data"][0]["setupRequired"], true);
}

TEST_F(FirstRun, TheCodeCreatesTheOwnerAccountAndSignsIn) {
    auto code = server.app().sessions().open_setup();
    ASSERT_TRUE(code.has_value());
    auto reply = setup(*code, "owner@example.com");
    ASSERT_EQ(reply.status, 200) << reply.raw;
    EXPECT_EQ(reply.body["data"][0]["email"], "owner@example.com");
    EXPECT_FALSE(cookie_value(reply).empty());
    EXPECT_EQ(server.get("/api/v1/setup").body["data"][0]["setupRequired"], false);
}

TEST_F(FirstRun, TheCodeWorksOnlyOnce) {
    auto code = server.app().sessions().open_setup();
    ASSERT_EQ(setup(*code, "owner@example.com").status, 200);
    auto again = setup(*code, "intruder@example.com");
    EXPECT_EQ(again.status, 409) << again.raw;
    EXPECT_THROW(server.app().accounts().by_email("intruder@example.com"), tokend::core::Error);
}

TEST_F(FirstRun, AWrongCodeCreatesNothing) {
    server.app().sessions().open_setup();
    auto reply = setup("AAAA-BBBB-CCCC", "owner@example.com");
    EXPECT_EQ(reply.status, 403) << reply.raw;
    EXPECT_EQ(server.get("/api/v1/setup").body["data"][0]["setupRequired"], true);
}

TEST_F(FirstRun, NoCodeIsOfferedOnceAnAccountExists) {
    server.create_account("someone@example.com");
    EXPECT_FALSE(server.app().sessions().open_setup().has_value());
}

TEST(AdminPage, EveryPageAndAssetCarriesTheSecurityHeaders) {
    TestServer server;
    for (const char* path : {"/", "/app.js", "/app.css", "/api/v1/setup", "/no-such-page"}) {
        auto reply = server.get(path);
        std::string csp = reply.header("Content-Security-Policy");
        EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << path;
        EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << path;
        EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << path;
        EXPECT_EQ(reply.header("X-Content-Type-Options"), "nosniff") << path;
        EXPECT_EQ(reply.header("Referrer-Policy"), "no-referrer") << path;
        EXPECT_EQ(reply.header("X-Frame-Options"), "DENY") << path;
    }
}

TEST(AdminPage, ServesTheEmbeddedFilesWithTheirTypes) {
    TestServer server;
    auto page = server.get("/");
    EXPECT_EQ(page.status, 200);
    EXPECT_EQ(page.header("Content-Type").rfind("text/html", 0), 0u);
    EXPECT_NE(page.raw.find("/app.js"), std::string::npos);
    EXPECT_EQ(server.get("/app.js").header("Content-Type").rfind("text/javascript", 0), 0u);
    EXPECT_EQ(server.get("/app.css").header("Content-Type").rfind("text/css", 0), 0u);
}

} // namespace
