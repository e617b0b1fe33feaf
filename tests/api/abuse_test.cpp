// Abuse limits (SPEC §10): the failed-authentication token bucket per client address, idle
// connections that cannot starve the workers, and the caps on headers, bodies, JSON nesting
// and array lengths — each answered with the envelope and a message a person can act on.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "core/token_format.hpp"
#include "support/test_server.hpp"

using tokend::AppConfig;
using tokend::test::Reply;
using tokend::test::TestServer;

namespace {
const std::string kTokens = "/api/v1/admin/access-tokens";
// Well-formed (checksum right) but issued by no server: the brute-force case.
const std::string kUnknownToken = [] {
    std::string random(tokend::core::kTokenRandomLength, 'Q');
    return "dft_" + random + tokend::core::base62_checksum(tokend::core::crc32(random));
}();

AppConfig with_failed_auth_burst(double burst) {
    AppConfig config;
    config.failed_auth.burst = burst;
    config.failed_auth.refill_per_second = 0.001; // nothing refills during a test
    return config;
}

void expect_envelope(const Reply& reply, int status) {
    EXPECT_EQ(reply.status, status) << reply.raw;
    EXPECT_EQ(reply.header("Content-Type"), "application/json");
    ASSERT_TRUE(reply.body.is_object()) << reply.raw;
    EXPECT_EQ(reply.body["status"], "error");
    EXPECT_EQ(reply.body["error"]["code"], status);
    EXPECT_TRUE(reply.body["error"]["message"].is_string());
}

std::string message_of(const Reply& reply) {
    return reply.body.is_object() ? reply.body["error"].value("message", "") : "";
}

// A TCP connection that sends nothing (or only `partial`) and holds a worker until timed out.
class IdleConnection {
public:
    explicit IdleConnection(int port, const std::string& partial = "") {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        m_connected = ::connect(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
        if (m_connected && !partial.empty()) {
            m_connected = ::send(m_fd, partial.data(), partial.size(), 0) ==
                          static_cast<ssize_t>(partial.size());
        }
    }
    ~IdleConnection() { ::close(m_fd); }
    IdleConnection(const IdleConnection&) = delete;
    IdleConnection& operator=(const IdleConnection&) = delete;
    bool connected() const { return m_connected; }

private:
    int m_fd = -1;
    bool m_connected = false;
};
} // namespace

TEST(AbuseLimits, UnknownTokensPastTheBurstGet429WithRetryAfterAndEnvelope) {
    TestServer server(with_failed_auth_burst(3));
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(server.get(kTokens, kUnknownToken).status, 401);
    }
    auto throttled = server.get(kTokens, kUnknownToken);
    expect_envelope(throttled, 429);
    EXPECT_GE(std::stoi(throttled.header("Retry-After")), 1);
    EXPECT_NE(message_of(throttled).find("Too many failed"), std::string::npos);
}

TEST(AbuseLimits, MalformedTokensCountTowardTheLimit) {
    TestServer server(with_failed_auth_burst(2));
    EXPECT_EQ(server.get(kTokens, "not-a-token").status, 401);
    EXPECT_EQ(server.get(kTokens, "dft_short").status, 401);
    EXPECT_EQ(server.get(kTokens, "not-a-token").status, 429);
}

TEST(AbuseLimits, RevokedTokenGets401AndDoesNotCountTowardTheLimit) {
    TestServer server(with_failed_auth_burst(2));
    server.create_account("owner@example.com");
    std::string admin = server.create_token("owner@example.com");
    auto created = server.post(kTokens, admin, "{}").body["data"][0];
    std::string revoked = created["key"];
    ASSERT_EQ(server.del(kTokens + "/" + created["_id"].get<std::string>(), admin).status, 200);
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(server.get(kTokens, revoked).status, 401);
    }
    EXPECT_EQ(server.get(kTokens, kUnknownToken).status, 401); // the budget is still untouched
}

TEST(AbuseLimits, MissingAuthorizationDoesNotCountTowardTheLimit) {
    TestServer server(with_failed_auth_burst(1));
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(server.get(kTokens).status, 401);
    }
    EXPECT_EQ(server.get(kTokens, kUnknownToken).status, 401);
}

TEST(AbuseLimits, ValidTokenIsServedWhileItsAddressIsThrottled) {
    TestServer server(with_failed_auth_burst(1));
    server.create_account("owner@example.com");
    std::string valid = server.create_token("owner@example.com");
    server.get(kTokens, kUnknownToken);
    ASSERT_EQ(server.get(kTokens, kUnknownToken).status, 429);
    EXPECT_EQ(server.get(kTokens, valid).status, 200);
}

TEST(AbuseLimits, IdleConnectionsBeyondThePoolDoNotStarveANormalRequest) {
    AppConfig config;
    config.server.header_timeout_seconds = 1;
    config.server.keep_alive_seconds = 1;
    TestServer server(config);
    std::vector<std::unique_ptr<IdleConnection>> idle;
    for (int i = 0; i < 8; ++i) {
        idle.push_back(std::make_unique<IdleConnection>(server.port()));
        idle.push_back(
            std::make_unique<IdleConnection>(server.port(), "GET /healthz HTTP/1.1\r\n"));
        ASSERT_TRUE(idle.back()->connected());
    }
    // Generous bound: the idle ones are dropped after their 1 s read timeout, a few at a time.
    httplib::Client client("127.0.0.1", server.port());
    client.set_connection_timeout(60, 0);
    client.set_read_timeout(60, 0);
    auto result = client.Get("/healthz");
    ASSERT_TRUE(result) << httplib::to_string(result.error());
    EXPECT_EQ(result->status, 200);
}

TEST(AbuseLimits, HeaderLineOverTheLimitGetsTheEnvelope) {
    TestServer server;
    auto reply = server.send("GET", "/healthz", {{"X-Padding", std::string(10'000, 'a')}});
    expect_envelope(reply, 400);
    EXPECT_NE(message_of(reply).find("header"), std::string::npos) << message_of(reply);
}

TEST(AbuseLimits, RequestLineOverTheLimitGets414Envelope) {
    TestServer server;
    auto reply = server.get("/healthz?" + std::string(10'000, 'a'));
    expect_envelope(reply, 414);
    EXPECT_NE(message_of(reply).find("too long"), std::string::npos) << message_of(reply);
}

TEST(AbuseLimits, BodyOver64KiBGets413Envelope) {
    TestServer server;
    server.create_account("owner@example.com");
    std::string token = server.create_token("owner@example.com");
    std::string body = R"({"name":")" + std::string(70'000, 'a') + R"("})";
    auto reply = server.post(kTokens, token, body);
    expect_envelope(reply, 413);
    EXPECT_NE(message_of(reply).find("64 KiB"), std::string::npos) << message_of(reply);
}

TEST(AbuseLimits, JsonNestedDeeperThanTheLimitGets400NamingTheLimit) {
    TestServer server;
    server.create_account("owner@example.com");
    std::string token = server.create_token("owner@example.com");
    std::string body = R"({"name":)" + std::string(40, '[') + std::string(40, ']') + "}";
    auto reply = server.post(kTokens, token, body);
    expect_envelope(reply, 400);
    EXPECT_NE(message_of(reply).find("nested too deeply"), std::string::npos) << message_of(reply);
}

TEST(AbuseLimits, ArrayLongerThanTheLimitGets400NamingTheField) {
    TestServer server;
    server.create_account("owner@example.com");
    std::string token = server.create_token("owner@example.com");
    std::string ids;
    for (int i = 0; i < 101; ++i) {
        ids += std::string(i ? "," : "") + "\"analytics:read\"";
    }
    auto reply = server.post(kTokens, token, R"({"permissions":[)" + ids + "]}");
    expect_envelope(reply, 400);
    EXPECT_NE(message_of(reply).find("permissions must have at most 100"), std::string::npos)
        << message_of(reply);
}

TEST(AbuseLimits, HugeDocumentWithinTheBodyLimitIsRefusedWithoutA500) {
    TestServer server;
    server.create_account("owner@example.com");
    std::string token = server.create_token("owner@example.com");
    std::string body = R"({"x":[0)";
    while (body.size() < 60'000) {
        body += ",0";
    }
    body += "]}";
    auto reply = server.post(kTokens, token, body);
    expect_envelope(reply, 400);
}

TEST(AbuseLimits, ConcurrentFailedAuthenticationsAreCountedExactlyOnce) {
    constexpr int kBurst = 10;
    TestServer server(with_failed_auth_burst(kBurst));
    std::atomic<int> unauthorized{0};
    std::atomic<int> throttled{0};
    std::vector<std::thread> clients;
    for (int c = 0; c < 8; ++c) {
        clients.emplace_back([&] {
            httplib::Client client("127.0.0.1", server.port());
            for (int i = 0; i < 5; ++i) {
                auto result =
                    client.Get(kTokens.c_str(), {{"Authorization", "Bearer " + kUnknownToken}});
                if (result && result->status == 401) {
                    ++unauthorized;
                } else if (result && result->status == 429) {
                    ++throttled;
                }
            }
        });
    }
    for (auto& c : clients) {
        c.join();
    }
    EXPECT_EQ(unauthorized, kBurst);
    EXPECT_EQ(throttled, 8 * 5 - kBurst);
}

TEST(AbuseLimits, ConcurrentValidRequestsAreServedDuringABruteForce) {
    TestServer server(with_failed_auth_burst(2));
    server.create_account("owner@example.com");
    std::string valid = server.create_token("owner@example.com");
    std::atomic<int> refused{0};
    std::vector<std::thread> clients;
    for (int c = 0; c < 6; ++c) {
        bool attacker = c % 2 == 0;
        clients.emplace_back([&, attacker] {
            httplib::Client client("127.0.0.1", server.port());
            for (int i = 0; i < 20; ++i) {
                auto result =
                    client.Get(kTokens.c_str(),
                               {{"Authorization", "Bearer " + (attacker ? kUnknownToken : valid)}});
                if (!attacker && (!result || result->status != 200)) {
                    ++refused;
                }
            }
        });
    }
    for (auto& c : clients) {
        c.join();
    }
    EXPECT_EQ(refused, 0);
}

TEST(AbuseLimits, BodyWithARawNulByteIsRefusedNotTruncated) {
    TestServer server;
    server.create_account("owner@example.com");
    std::string token = server.create_token("owner@example.com");
    std::string body = std::string(R"({"name":"ok"})") + '\0' + R"({"permissions":"*"})";
    auto reply = server.post(kTokens, token, body);
    expect_envelope(reply, 400);
    EXPECT_NE(message_of(reply).find("not valid JSON"), std::string::npos) << message_of(reply);
}
