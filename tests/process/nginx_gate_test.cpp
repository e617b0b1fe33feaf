// tokend behind a real nginx (Debian's nginx-light): the auth_request recipe of docs/nginx.md
// guarding a tiny upstream that nginx itself serves on a unix socket and that echoes the
// X-Account-Id it received. nginx runs with its own prefix in a temp dir; nothing system-wide.
#include <cstdlib>
#include <fstream>

#include <httplib.h>

#include "gate_fixture.hpp"

using namespace tokend::test;

namespace {
const char* kNginx = "/usr/sbin/nginx";

// docs/nginx.md's recipe; the gate asks tokend about analytics:read and passes the website the
// client names in ?websiteId=. It is read in the protected location: the auth subrequest has no
// query string of its own, but it shares the main request's variables. An empty value sends no
// header at all.
std::string nginx_config(const std::filesystem::path& prefix, int tokend_port, int port) {
    std::string p = prefix.string();
    std::string user = ::geteuid() == 0 ? "user root;\n" : "";
    return user + "worker_processes 1;\npid " + p + "/nginx.pid;\nerror_log " + p +
           "/error.log info;\nevents { worker_connections 64; }\nhttp {\n"
           "  access_log " +
           p +
           "/access.log;\n"
           "  client_body_temp_path " +
           p + "/tmp/body;\n  proxy_temp_path " + p +
           "/tmp/proxy;\n"
           "  fastcgi_temp_path " +
           p + "/tmp/fastcgi;\n  uwsgi_temp_path " + p +
           "/tmp/uwsgi;\n"
           "  scgi_temp_path " +
           p +
           "/tmp/scgi;\n"
           "  upstream tokend { server 127.0.0.1:" +
           std::to_string(tokend_port) +
           "; keepalive 8; keepalive_requests 100000; keepalive_timeout 4s; }\n"
           "  server {\n    listen unix:" +
           p +
           "/app.sock;\n"
           "    location / { return 200 \"account=$http_x_account_id\"; }\n  }\n"
           "  server {\n    listen 127.0.0.1:" +
           std::to_string(port) +
           ";\n"
           "    location = /ready { return 200 \"" +
           p +
           "\"; }\n"
           "    location /app/ {\n"
           "      set $tokend_website $arg_websiteId;\n"
           "      auth_request /_tokend_check;\n"
           "      auth_request_set $tokend_account $upstream_http_x_tokend_account;\n"
           "      proxy_set_header X-Account-Id $tokend_account;\n"
           "      proxy_pass http://unix:" +
           p +
           "/app.sock;\n    }\n"
           "    location = /_tokend_check {\n      internal;\n"
           "      proxy_pass http://tokend/api/v1/auth/check;\n"
           "      proxy_pass_request_body off;\n"
           "      proxy_set_header Content-Length \"\";\n"
           "      proxy_set_header X-Tokend-Permission analytics:read;\n"
           "      proxy_set_header X-Tokend-Website $tokend_website;\n"
           "      proxy_set_header X-Real-IP $remote_addr;\n"
           "      proxy_http_version 1.1;\n      proxy_set_header Connection \"\";\n    }\n"
           "  }\n}\n";
}

// nginx in the foreground (`daemon off`) as a child of the test, stopped with SIGQUIT.
std::unique_ptr<ProxyProcess> start_nginx(const std::filesystem::path& prefix, int tokend_port) {
    std::filesystem::create_directories(prefix / "tmp");
    auto configure = [prefix, tokend_port](int port) {
        std::ofstream(prefix / "nginx.conf") << nginx_config(prefix, tokend_port, port);
        return std::vector<std::string>{kNginx,
                                        "-p",
                                        prefix.string() + "/",
                                        "-e",
                                        (prefix / "error.log").string(),
                                        "-c",
                                        (prefix / "nginx.conf").string(),
                                        "-g",
                                        "daemon off;"};
    };
    return std::make_unique<ProxyProcess>(configure, prefix.string(), SIGQUIT);
}

class NginxGate : public GateFixture {
protected:
    void SetUp() override {
        if (!std::filesystem::exists(kNginx)) {
            if (std::getenv("CI") != nullptr) {
                FAIL() << kNginx << " is missing: apt-get install nginx-light";
            }
            GTEST_SKIP() << kNginx << " is missing (apt-get install nginx-light)";
        }
        start_tokend();
        m_nginx = start_nginx(m_dir.path() / "nginx", m_server->port());
        ASSERT_GT(m_nginx->port(), 0)
            << "nginx did not start: " << read_file(m_dir.path() / "nginx" / "error.log");
    }

    httplib::Result through_nginx(const std::string& path, const std::string& bearer) {
        httplib::Client client("127.0.0.1", m_nginx->port());
        return client.Get(path, {{"Authorization", "Bearer " + bearer}});
    }

    std::unique_ptr<ProxyProcess> m_nginx;
};
} // namespace

TEST_F(NginxGate, TokenWithThePermissionReachesTheUpstreamAsItsAccount) {
    auto res = through_nginx("/app/report", token("analytics:read"));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->body, "account=" + m_account);
}

TEST_F(NginxGate, TokenWithoutThePermissionIsRefusedWith403) {
    auto res = through_nginx("/app/report", token("goals:read"));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 403);
}

TEST_F(NginxGate, TokenRevokedThroughTheApiIsRefusedWith401OnTheNextRequest) {
    auto bearer = token("analytics:read");
    auto first = through_nginx("/app/report", bearer);
    ASSERT_TRUE(first);
    ASSERT_EQ(first->status, 200);
    ASSERT_EQ(revoke_newest_token(), 200);
    auto next = through_nginx("/app/report", bearer);
    ASSERT_TRUE(next);
    EXPECT_EQ(next->status, 401);
}

TEST_F(NginxGate, WebsiteOutsideTheTokenListIsRefusedWith403) {
    auto bearer = token("analytics:read", m_site);
    auto inside = through_nginx("/app/report?websiteId=" + m_site, bearer);
    auto outside = through_nginx("/app/report?websiteId=" + m_other_site, bearer);
    ASSERT_TRUE(inside && outside);
    EXPECT_EQ(inside->status, 200);
    EXPECT_EQ(outside->status, 403);
}

// SPEC §11.6 through the recipe: nginx overwrites X-Real-IP with the real peer, and tokend trusts
// it only from nginx, so a client cannot claim an address its token is allowed from.
TEST_F(NginxGate, SpoofedClientAddressDoesNotPassAllowedIps) {
    httplib::Client tokend("127.0.0.1", m_server->port());
    auto create = [&](const std::string& allowed) {
        auto res =
            tokend.Post("/api/v1/admin/access-tokens", {{"Authorization", "Bearer " + m_admin}},
                        R"({"permissions":["analytics:read"],"allowedIps":)" + allowed + "}",
                        "application/json");
        EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
        return res ? nlohmann::json::parse(res->body)["data"][0]["key"].get<std::string>() : "";
    };
    auto elsewhere = create(R"(["203.0.113.0/24"])");
    auto here = create(R"(["127.0.0.1"])");
    httplib::Client client("127.0.0.1", m_nginx->port());
    auto spoofed = client.Get("/app/report", {{"Authorization", "Bearer " + elsewhere},
                                              {"X-Real-IP", "203.0.113.5"},
                                              {"X-Forwarded-For", "203.0.113.5"}});
    auto allowed = client.Get("/app/report",
                              {{"Authorization", "Bearer " + here}, {"X-Real-IP", "203.0.113.5"}});
    ASSERT_TRUE(spoofed && allowed);
    EXPECT_EQ(spoofed->status, 403);
    EXPECT_EQ(allowed->status, 200);
}
