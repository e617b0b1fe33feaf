// `tokend serve --tls-cert --tls-key` as a process: HTTPS answers, a verified certificate, the
// Secure session cookie, SIGHUP reloads (open connections kept, failures keep the old
// certificate), refused start-ups, and clients that never speak TLS properly.
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <cstdio>

#include "process_helpers.hpp"
#include "raw_socket.hpp"
#include "support/temp_dir.hpp"

using namespace tokend::test;
namespace fs = std::filesystem;

namespace {

// A self-signed P-256 certificate for 127.0.0.1, made with the openssl command.
struct CertFiles {
    fs::path cert;
    fs::path key;
};

CertFiles make_cert(const fs::path& dir, const std::string& name) {
    CertFiles files{dir / (name + ".crt"), dir / (name + ".key")};
    std::string command = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
                          "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -days 1 "
                          "-keyout " +
                          files.key.string() + " -out " + files.cert.string() + " 2>/dev/null";
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
    return files;
}

std::string fingerprint(X509* cert) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    X509_digest(cert, EVP_sha256(), digest, &size);
    return std::string(reinterpret_cast<char*>(digest), size);
}

std::string file_fingerprint(const fs::path& cert_file) {
    FILE* file = std::fopen(cert_file.c_str(), "r");
    X509* cert = file ? PEM_read_X509(file, nullptr, nullptr, nullptr) : nullptr;
    if (file) {
        std::fclose(file);
    }
    std::string result = cert ? fingerprint(cert) : "";
    X509_free(cert);
    return result;
}

// A blocking TLS 1.2+ client that verifies the server against `trusted` certificates and
// 127.0.0.1, and sends HTTP/1.1 requests on one connection.
class TlsClient {
public:
    TlsClient(int port, const std::vector<fs::path>& trusted) : m_tcp(port) {
        m_ctx = SSL_CTX_new(TLS_client_method());
        for (const auto& file : trusted) {
            SSL_CTX_load_verify_locations(m_ctx, file.c_str(), nullptr);
        }
        SSL_CTX_set_verify(m_ctx, SSL_VERIFY_PEER, nullptr);
        m_ssl = SSL_new(m_ctx);
        X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(m_ssl), "127.0.0.1");
        SSL_set_fd(m_ssl, m_tcp.fd());
        m_ok = m_tcp.connected() && SSL_connect(m_ssl) == 1;
    }
    ~TlsClient() {
        SSL_free(m_ssl);
        SSL_CTX_free(m_ctx);
    }
    bool ok() const { return m_ok; }
    std::string peer_fingerprint() const {
        X509* cert = SSL_get1_peer_certificate(m_ssl);
        std::string result = cert ? fingerprint(cert) : "";
        X509_free(cert);
        return result;
    }
    // One request and its whole answer (headers + Content-Length body); "" if the connection
    // failed.
    std::string request(const std::string& method, const std::string& path,
                        const std::string& headers = "", const std::string& body = "") {
        std::string bytes = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers +
                            "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
        if (!m_ok || SSL_write(m_ssl, bytes.data(), static_cast<int>(bytes.size())) <= 0) {
            return "";
        }
        std::string got;
        char buf[4096];
        for (;;) {
            auto end = got.find("\r\n\r\n");
            if (end != std::string::npos) {
                std::smatch match;
                std::string head = got.substr(0, end);
                static const std::regex kLength(R"(Content-Length: (\d+))", std::regex::icase);
                std::size_t length =
                    std::regex_search(head, match, kLength) ? std::stoul(match[1]) : 0;
                if (got.size() >= end + 4 + length) {
                    return got;
                }
            }
            int n = SSL_read(m_ssl, buf, sizeof buf);
            if (n <= 0) {
                return got;
            }
            got.append(buf, static_cast<std::size_t>(n));
        }
    }

private:
    RawConnection m_tcp;
    SSL_CTX* m_ctx = nullptr;
    SSL* m_ssl = nullptr;
    bool m_ok = false;
};

class Tls : public ::testing::Test {
protected:
    void SetUp() override { m_cert = make_cert(m_dir.path(), "first"); }
    Result cli(std::vector<std::string> args, std::string input = "") {
        args.push_back("--data-dir");
        args.push_back(data_dir().string());
        return run_cli({std::move(args), {}, std::move(input), m_dir.path()});
    }
    std::vector<std::string> serve_args(const CertFiles& files) const {
        return {"serve",
                "--listen",
                "127.0.0.1:0",
                "--data-dir",
                data_dir().string(),
                "--tls-cert",
                files.cert.string(),
                "--tls-key",
                files.key.string()};
    }
    std::unique_ptr<ServerProcess> start(std::vector<std::string> extra = {}) {
        auto args = serve_args(m_cert);
        args.insert(args.end(), extra.begin(), extra.end());
        auto log = m_dir.path() / ("serve-" + std::to_string(++m_starts) + ".log");
        return std::make_unique<ServerProcess>(Launch{args, {}, "", m_dir.path()}, log);
    }
    std::string bootstrap() {
        EXPECT_EQ(cli({"account", "create", "--email", "alice@example.com", "--password-stdin"},
                      "correct horse battery\n")
                      .code,
                  0);
        auto r = cli({"token", "create", "--email", "alice@example.com"});
        EXPECT_EQ(r.code, 0) << r.err;
        return r.out.substr(0, 40);
    }
    static bool wait_for_log(const ServerProcess& server, const std::string& text) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (server.log().find(text) == std::string::npos) {
            if (std::chrono::steady_clock::now() > deadline) {
                return false;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return true;
    }
    fs::path data_dir() const { return m_dir.path() / "data"; }

    TempDir m_dir;
    CertFiles m_cert;
    int m_starts = 0;
};

std::string set_cookie_of(const std::string& response) {
    std::smatch match;
    static const std::regex kCookie(R"(Set-Cookie: ([^\r]*))", std::regex::icase);
    return std::regex_search(response, match, kCookie) ? match[1].str() : "";
}

const std::string kSignIn = R"({"email":"alice@example.com","password":"correct horse battery"})";

TEST_F(Tls, HealthzAndAnAuthenticatedCallAnswerOverVerifiedHttps) {
    std::string token = bootstrap();
    auto server = start();
    EXPECT_NE(server->log().find("listening on https://127.0.0.1:"), std::string::npos);
    TlsClient client(server->port(), {m_cert.cert});
    ASSERT_TRUE(client.ok());
    EXPECT_EQ(status_line(client.request("GET", "/healthz")), "HTTP/1.1 200 OK");
    std::string account =
        client.request("GET", "/api/v1/admin/account", "Authorization: Bearer " + token + "\r\n");
    EXPECT_EQ(status_line(account), "HTTP/1.1 200 OK");
    EXPECT_NE(account.find("alice@example.com"), std::string::npos);
    EXPECT_EQ(client.peer_fingerprint(), file_fingerprint(m_cert.cert));
    EXPECT_EQ(server->stop(SIGTERM), 0) << server->log();
}

TEST_F(Tls, SessionCookieIsSecureOverTlsAndNotOverPlainHttp) {
    bootstrap();
    {
        auto server = start();
        TlsClient client(server->port(), {m_cert.cert});
        std::string answer = client.request("POST", "/api/v1/session",
                                            "Content-Type: application/json\r\n", kSignIn);
        ASSERT_EQ(status_line(answer), "HTTP/1.1 200 OK") << answer;
        EXPECT_NE(set_cookie_of(answer).find("; Secure"), std::string::npos) << answer;
        EXPECT_EQ(server->stop(SIGTERM), 0);
    }
    auto log = m_dir.path() / "plain.log";
    ServerProcess plain(
        Launch{{"serve", "--listen", "127.0.0.1:0", "--data-dir", data_dir().string()},
               {},
               "",
               m_dir.path()},
        log);
    httplib::Client client("127.0.0.1", plain.port());
    auto answer = client.Post("/api/v1/session", kSignIn, "application/json");
    ASSERT_TRUE(answer);
    ASSERT_EQ(answer->status, 200);
    std::string cookie = answer->get_header_value("Set-Cookie");
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
    EXPECT_EQ(cookie.find("Secure"), std::string::npos) << cookie;
}

TEST_F(Tls, SighupServesTheNewCertificateAndKeepsOpenConnections) {
    auto server = start();
    auto old_print = file_fingerprint(m_cert.cert);
    CertFiles next = make_cert(m_dir.path(), "second");
    TlsClient before(server->port(), {m_cert.cert, next.cert});
    ASSERT_TRUE(before.ok());
    EXPECT_EQ(status_line(before.request("GET", "/healthz")), "HTTP/1.1 200 OK");
    fs::copy_file(next.cert, m_cert.cert, fs::copy_options::overwrite_existing);
    fs::copy_file(next.key, m_cert.key, fs::copy_options::overwrite_existing);
    server->send(SIGHUP);
    ASSERT_TRUE(wait_for_log(*server, "SIGHUP: reloaded TLS certificate")) << server->log();

    EXPECT_EQ(status_line(before.request("GET", "/healthz")), "HTTP/1.1 200 OK");
    EXPECT_EQ(before.peer_fingerprint(), old_print);
    TlsClient after(server->port(), {m_cert.cert, next.cert});
    ASSERT_TRUE(after.ok());
    EXPECT_EQ(after.peer_fingerprint(), file_fingerprint(next.cert));
    EXPECT_NE(after.peer_fingerprint(), old_print);
    EXPECT_EQ(status_line(after.request("GET", "/healthz")), "HTTP/1.1 200 OK");
    EXPECT_EQ(server->stop(SIGTERM), 0) << server->log();
}

TEST_F(Tls, FailedReloadLogsOneLineAndKeepsTheOldCertificate) {
    auto server = start();
    auto old_print = file_fingerprint(m_cert.cert);
    fs::copy_file(m_cert.cert, m_dir.path() / "first-kept.crt");
    CertFiles other = make_cert(m_dir.path(), "other");
    fs::copy_file(other.cert, m_cert.cert, fs::copy_options::overwrite_existing); // key kept
    server->send(SIGHUP);
    ASSERT_TRUE(wait_for_log(*server, "does not match the certificate")) << server->log();
    TlsClient after_mismatch(server->port(), {m_dir.path() / "first-kept.crt"});
    ASSERT_TRUE(after_mismatch.ok());
    EXPECT_EQ(after_mismatch.peer_fingerprint(), old_print);

    fs::remove(m_cert.cert);
    server->send(SIGHUP);
    ASSERT_TRUE(wait_for_log(*server, "no such file")) << server->log();
    TlsClient after_missing(server->port(), {m_dir.path() / "first-kept.crt"});
    ASSERT_TRUE(after_missing.ok());
    EXPECT_EQ(after_missing.peer_fingerprint(), old_print);
    EXPECT_EQ(status_line(after_missing.request("GET", "/healthz")), "HTTP/1.1 200 OK");
    EXPECT_EQ(server->stop(SIGTERM), 0) << server->log();
    // One line per failed reload, and the old certificate kept both times.
    std::string log = server->log();
    std::regex failed("TLS reload failed, keeping the old certificate: [^\\n]+\\n");
    EXPECT_EQ(
        std::distance(std::sregex_iterator(log.begin(), log.end(), failed), std::sregex_iterator()),
        2)
        << log;
}

TEST_F(Tls, StartRefusesMissingInvalidOrMismatchedFilesWithOneLine) {
    CertFiles other = make_cert(m_dir.path(), "other");
    std::ofstream(m_dir.path() / "not-pem.key") << "not a key\n";
    fs::create_directory(m_dir.path() / "a-directory");
    std::vector<CertFiles> bad = {
        {m_dir.path() / "missing.crt", m_cert.key},  // missing certificate
        {m_cert.cert, m_dir.path() / "a-directory"}, // unreadable key
        {m_cert.cert, m_dir.path() / "not-pem.key"}, // not PEM
        {m_cert.cert, other.key},                    // the key of another certificate
    };
    for (const auto& files : bad) {
        // A cap that fits any open-files limit: under a hard RLIMIT_NOFILE of 1024 (as in a
        // buildah build stage) the default 4096 adds its own warning line before the TLS one.
        auto args = serve_args(files);
        args.insert(args.end(), {"--max-connections", "256"});
        auto r = run_cli({args, {}, "", m_dir.path()});
        EXPECT_EQ(r.code, 1) << files.cert << " " << files.key << ": " << r.err;
        EXPECT_EQ(line_count(r.err), 1) << r.err;
        EXPECT_NE(r.err.find("TLS"), std::string::npos) << r.err;
        EXPECT_NE(r.err.find(files.key == other.key ? "does not match" : ""), std::string::npos);
    }
    auto only_cert = run_cli({{"serve", "--listen", "127.0.0.1:0", "--data-dir",
                               data_dir().string(), "--tls-cert", m_cert.cert.string()},
                              {},
                              "",
                              m_dir.path()});
    EXPECT_EQ(only_cert.code, 2) << only_cert.err;
    auto only_key_env =
        run_cli({{"serve", "--listen", "127.0.0.1:0", "--data-dir", data_dir().string()},
                 {{"TOKEND_TLS_KEY", m_cert.key.string()}},
                 "",
                 m_dir.path()});
    EXPECT_EQ(only_key_env.code, 2) << only_key_env.err;
}

TEST_F(Tls, PlainHttpOnTheTlsPortIsClosedAndTheServerKeepsServing) {
    auto server = start();
    RawConnection plain(server->port());
    ASSERT_TRUE(plain.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
    std::string got = plain.read_until_closed(std::chrono::seconds(5));
    EXPECT_FALSE(plain.timed_out());
    EXPECT_EQ(got.find("200 OK"), std::string::npos) << got;
    TlsClient client(server->port(), {m_cert.cert});
    EXPECT_EQ(status_line(client.request("GET", "/healthz")), "HTTP/1.1 200 OK");
}

TEST_F(Tls, HandshakeNeverFinishedIsClosedWithinHeaderTimeoutWithoutBlockingOthers) {
    auto server = start({"--header-timeout", "1"});
    RawConnection stalled(server->port());
    ASSERT_TRUE(stalled.send(std::string("\x16\x03\x01\x02\x00", 5))); // a ClientHello's start
    auto begin = std::chrono::steady_clock::now();
    TlsClient fresh(server->port(), {m_cert.cert});
    EXPECT_EQ(status_line(fresh.request("GET", "/healthz")), "HTTP/1.1 200 OK");
    stalled.read_until_closed(std::chrono::seconds(5));
    EXPECT_FALSE(stalled.timed_out());
    EXPECT_LT(std::chrono::steady_clock::now() - begin, std::chrono::seconds(2));
    RawConnection silent(server->port()); // connects and never sends a byte
    begin = std::chrono::steady_clock::now();
    silent.read_until_closed(std::chrono::seconds(5));
    EXPECT_FALSE(silent.timed_out());
    EXPECT_LT(std::chrono::steady_clock::now() - begin, std::chrono::seconds(2));
}

} // namespace
