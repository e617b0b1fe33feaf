// tokend behind a real nginx (Debian's nginx-light): the auth_request recipe of docs/nginx.md
// guarding a tiny upstream that nginx itself serves on a unix socket and that echoes the
// X-Account-Id it received. nginx runs with its own prefix in a temp dir; nothing system-wide.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdlib>
#include <fstream>

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "process_helpers.hpp"
#include "support/temp_dir.hpp"

using namespace tokend::test;

namespace {
const char* kNginx = "/usr/sbin/nginx";

// A port that was free a moment ago; nginx cannot report the port it picked, so the test picks
// one and retries with another if nginx loses the race for it.
int free_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

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
           "; keepalive 8; }\n"
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
class NginxProcess {
public:
    NginxProcess(const std::filesystem::path& prefix, int tokend_port) : m_prefix(prefix) {
        std::filesystem::create_directories(prefix / "tmp");
        for (int attempt = 0; attempt < 5 && m_port < 0; ++attempt) {
            int port = free_port();
            std::ofstream(prefix / "nginx.conf") << nginx_config(prefix, tokend_port, port);
            start();
            if (wait_until_serving(port)) {
                m_port = port;
            } else {
                stop();
            }
        }
    }
    ~NginxProcess() { stop(); }
    NginxProcess(const NginxProcess&) = delete;
    NginxProcess& operator=(const NginxProcess&) = delete;

    int port() const { return m_port; }
    std::string error_log() const { return read_file(m_prefix / "error.log"); }

private:
    void start() {
        std::string prefix = m_prefix.string() + "/";
        std::string conf = m_prefix.string() + "/nginx.conf";
        std::string error_log = m_prefix.string() + "/error.log";
        std::vector<std::string> args = {kNginx, "-p", prefix, "-e",         error_log,
                                         "-c",   conf, "-g",   "daemon off;"};
        std::vector<char*> argv;
        for (auto& arg : args) {
            argv.push_back(arg.data());
        }
        argv.push_back(nullptr);
        m_pid = ::fork();
        if (m_pid == 0) {
            ::execv(kNginx, argv.data());
            ::_exit(127);
        }
    }

    // True once this nginx answers /ready with its own prefix (not another process on the port).
    bool wait_until_serving(int port) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (std::chrono::steady_clock::now() < deadline) {
            int status = 0;
            if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
                m_pid = -1;
                return false;
            }
            httplib::Client client("127.0.0.1", port);
            client.set_connection_timeout(1, 0);
            auto res = client.Get("/ready");
            if (res && res->status == 200 && res->body == m_prefix.string()) {
                return true;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return false;
    }

    void stop() {
        if (m_pid > 0) {
            ::kill(m_pid, SIGQUIT);
            wait_exit_code(m_pid);
            m_pid = -1;
        }
    }

    std::filesystem::path m_prefix;
    pid_t m_pid = -1;
    int m_port = -1;
};

class NginxGate : public ::testing::Test {
protected:
    void SetUp() override {
        if (!std::filesystem::exists(kNginx)) {
            if (std::getenv("CI") != nullptr) {
                FAIL() << kNginx << " is missing: apt-get install nginx-light";
            }
            GTEST_SKIP() << kNginx << " is missing (apt-get install nginx-light)";
        }
        m_account = cli({"account", "create", "--email", "alice@example.com"});
        m_site = cli({"website", "create", "--owner", "alice@example.com", "--domain", "a.com"});
        m_other_site =
            cli({"website", "create", "--owner", "alice@example.com", "--domain", "b.com"});
        m_admin = cli({"token", "create", "--email", "alice@example.com"});
        m_server = std::make_unique<ServerProcess>(
            Launch{{"serve", "--listen", "127.0.0.1:0", "--data-dir", data_dir(), "--trusted-proxy",
                    "127.0.0.1/32"},
                   {},
                   "",
                   m_dir.path()},
            m_dir.path() / "tokend.log");
        m_nginx = std::make_unique<NginxProcess>(m_dir.path() / "nginx", m_server->port());
        ASSERT_GT(m_nginx->port(), 0) << "nginx did not start: " << m_nginx->error_log();
    }

    std::string data_dir() const { return (m_dir.path() / "data").string(); }

    // Runs a CLI command on the test's data dir and returns its stdout's one line.
    std::string cli(std::vector<std::string> args) {
        args.insert(args.end(), {"--data-dir", data_dir()});
        auto result = run_cli({args, {}, "", m_dir.path()});
        EXPECT_EQ(result.code, 0) << result.err;
        return result.out.substr(0, result.out.find('\n'));
    }

    std::string token(const std::string& permissions, const std::string& websites = "") {
        std::vector<std::string> args = {
            "token", "create", "--email", "alice@example.com", "--permissions", permissions};
        if (!websites.empty()) {
            args.insert(args.end(), {"--websites", websites});
        }
        return cli(args);
    }

    httplib::Result through_nginx(const std::string& path, const std::string& bearer) {
        httplib::Client client("127.0.0.1", m_nginx->port());
        return client.Get(path, {{"Authorization", "Bearer " + bearer}});
    }

    TempDir m_dir;
    std::string m_account, m_site, m_other_site, m_admin;
    std::unique_ptr<ServerProcess> m_server;
    std::unique_ptr<NginxProcess> m_nginx;
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
    httplib::Client tokend("127.0.0.1", m_server->port());
    auto listed =
        tokend.Get("/api/v1/admin/access-tokens", {{"Authorization", "Bearer " + m_admin}});
    ASSERT_TRUE(listed);
    auto id = nlohmann::json::parse(listed->body)["data"][0]["_id"].get<std::string>();
    auto revoked = tokend.Delete("/api/v1/admin/access-tokens/" + id,
                                 {{"Authorization", "Bearer " + m_admin}});
    ASSERT_TRUE(revoked);
    ASSERT_EQ(revoked->status, 200) << revoked->body;
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
