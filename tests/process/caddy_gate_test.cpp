// tokend behind a real Caddy (Debian's caddy): the forward_auth recipe of docs/caddy.md guarding
// a tiny upstream that Caddy itself serves on a unix socket and that echoes the headers it got.
// Caddy runs with its config, data and autosave in a temp dir; nothing system-wide.
#include <cstdlib>
#include <fstream>
#include <regex>

#include <httplib.h>

#include "gate_fixture.hpp"

using namespace tokend::test;

namespace {
const char* kCaddy = "/usr/bin/caddy";

// docs/caddy.md's recipe with the test's addresses: /app/ needs analytics:read, on the website
// the client names in ?websiteId= if any. /ready answers with the prefix so the test knows this
// Caddy (not another process) holds the port.
std::string caddyfile(const std::filesystem::path& prefix, int tokend_port, int port) {
    std::string p = prefix.string();
    return "{\n  admin off\n  auto_https off\n}\n"
           "http://127.0.0.1:" +
           std::to_string(port) + " {\n  handle /ready {\n    respond \"ready " + p +
           "\" 200\n  }\n"
           "  handle /app/* {\n  route {\n"
           "    request_header -X-Account-Id\n"
           "    request_header -X-Token-Id\n"
           "    request_header -X-Token-Permissions\n"
           "    forward_auth 127.0.0.1:" +
           std::to_string(tokend_port) +
           " {\n"
           "      uri /api/v1/auth/check\n"
           "      header_up X-Tokend-Permission analytics:read\n"
           "      header_up X-Tokend-Website {query.websiteId}\n"
           "      header_up X-Real-IP {remote_host}\n"
           "      copy_headers X-Tokend-Account>X-Account-Id X-Tokend-Token>X-Token-Id "
           "X-Tokend-Permissions>X-Token-Permissions\n"
           "    }\n"
           "    reverse_proxy unix/" +
           p +
           "/app.sock {\n      header_up -Authorization\n    }\n  }\n  }\n}\n"
           "http:// {\n  bind unix/" +
           p +
           "/app.sock\n"
           "  respond \"account={header.X-Account-Id} token={header.X-Token-Id} "
           "permissions={header.X-Token-Permissions} authorization={header.Authorization}\" "
           "200\n}\n";
}

// `caddy run` in the foreground as a child of the test, stopped with SIGTERM, its log in
// caddy.log; HOME and the XDG dirs point into the prefix so its autosave and data never touch
// the user's files.
std::unique_ptr<ProxyProcess> start_caddy(const std::filesystem::path& prefix, int tokend_port) {
    std::filesystem::create_directories(prefix);
    auto configure = [prefix, tokend_port](int port) {
        std::ofstream(prefix / "Caddyfile") << caddyfile(prefix, tokend_port, port);
        return std::vector<std::string>{
            kCaddy, "run", "--config", (prefix / "Caddyfile").string(), "--adapter", "caddyfile"};
    };
    std::string p = prefix.string();
    return std::make_unique<ProxyProcess>(
        configure, "ready " + p, SIGTERM,
        std::vector<std::string>{"HOME=" + p, "XDG_CONFIG_HOME=" + p + "/config",
                                 "XDG_DATA_HOME=" + p + "/data"},
        prefix / "caddy.log");
}

class CaddyGate : public GateFixture {
protected:
    void SetUp() override {
        if (!std::filesystem::exists(kCaddy)) {
            if (std::getenv("CI") != nullptr) {
                FAIL() << kCaddy << " is missing: apt-get install caddy";
            }
            GTEST_SKIP() << kCaddy << " is missing (apt-get install caddy)";
        }
        start_tokend();
        m_caddy = start_caddy(m_dir.path() / "caddy", m_server->port());
        ASSERT_GT(m_caddy->port(), 0)
            << "caddy did not start: " << read_file(m_dir.path() / "caddy" / "caddy.log");
    }

    httplib::Result through_caddy(const std::string& path, httplib::Headers headers) {
        httplib::Client client("127.0.0.1", m_caddy->port());
        return client.Get(path, headers);
    }
    httplib::Result through_caddy(const std::string& path, const std::string& bearer) {
        return through_caddy(path, {{"Authorization", "Bearer " + bearer}});
    }

    std::unique_ptr<ProxyProcess> m_caddy;
};
} // namespace

TEST_F(CaddyGate, TokenWithThePermissionReachesTheUpstreamAsItsAccount) {
    auto res = through_caddy("/app/report", token("analytics:read,goals:read"));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    // The token id is 24 hex; the raw token (Authorization) is removed before the upstream.
    EXPECT_TRUE(std::regex_match(res->body, std::regex("account=" + m_account +
                                                       " token=[0-9a-f]{24} "
                                                       "permissions=analytics:read,goals:read "
                                                       "authorization=")))
        << res->body;
}

TEST_F(CaddyGate, AccountAndTokenHeadersTheClientForgesAreReplaced) {
    auto res = through_caddy("/app/report", {{"Authorization", "Bearer " + token("analytics:read")},
                                             {"X-Account-Id", "forged"},
                                             {"X-Token-Id", "forged"}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_TRUE(
        std::regex_match(res->body, std::regex("account=" + m_account + " token=[0-9a-f]{24} .*")))
        << res->body;
}

TEST_F(CaddyGate, TokenWithoutThePermissionIsRefusedWith403AndNeverReachesTheUpstream) {
    auto res = through_caddy("/app/report", token("goals:read"));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 403);
    EXPECT_EQ(res->body.find("account="), std::string::npos) << res->body;
}

TEST_F(CaddyGate, MissingTokenGets401WithTheBearerChallenge) {
    auto res = through_caddy("/app/report", httplib::Headers{});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401);
    EXPECT_EQ(res->get_header_value("WWW-Authenticate").rfind("Bearer", 0), 0u);
}

TEST_F(CaddyGate, TokenRevokedThroughTheApiIsRefusedWith401OnTheNextRequest) {
    auto bearer = token("analytics:read");
    auto first = through_caddy("/app/report", bearer);
    ASSERT_TRUE(first);
    ASSERT_EQ(first->status, 200);
    ASSERT_EQ(revoke_newest_token(), 200);
    auto next = through_caddy("/app/report", bearer);
    ASSERT_TRUE(next);
    EXPECT_EQ(next->status, 401);
    EXPECT_EQ(next->body.find("account="), std::string::npos) << next->body;
}

TEST_F(CaddyGate, WebsiteOutsideTheTokenListIsRefusedWith403) {
    auto bearer = token("analytics:read", m_site);
    auto inside = through_caddy("/app/report?websiteId=" + m_site, bearer);
    auto outside = through_caddy("/app/report?websiteId=" + m_other_site, bearer);
    ASSERT_TRUE(inside && outside);
    EXPECT_EQ(inside->status, 200);
    EXPECT_EQ(outside->status, 403);
}
