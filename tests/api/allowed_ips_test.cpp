// allowedIps (SPEC §11.6) over HTTP: stored normalized, bad entries named by position, never
// wider than the caller's list, and enforced on every bearer route and on the check with the
// client address rule (the peer, or behind --trusted-proxy the forwarded address).
#include <gtest/gtest.h>

#include "core/token_format.hpp"
#include "token_fixture.hpp"

using namespace tokend::test;

namespace {
const std::string kCheck = "/api/v1/auth/check?permission=api-keys:read";

// Five failed attempts per address, and nothing refills during a test.
tokend::AppConfig strict_throttle() {
    tokend::AppConfig config;
    config.failed_auth.burst = 5;
    config.failed_auth.refill_per_second = 0.001;
    return config;
}

tokend::AppConfig behind_proxy(const std::string& cidr) {
    tokend::AppConfig config = strict_throttle();
    config.server.trusted_proxies = {*tokend::core::parse_ip_range(cidr)};
    return config;
}

class AllowedIpsApi : public TokenApi {
protected:
    explicit AllowedIpsApi(tokend::AppConfig config = strict_throttle())
        : TokenApi(std::move(config)) {}

    // A new token of alice's with `allowed` (a JSON array) and the given permissions.
    std::string token_with(const std::string& allowed, const std::string& permissions = "[\"*\"]") {
        auto token = created(m_full, R"({"permissions":)" + permissions + R"(,"allowedIps":)" +
                                         allowed + "}");
        return token.value("key", "");
    }

    Reply list_with(const std::string& token, const httplib::Headers& extra) {
        httplib::Headers headers = extra;
        headers.emplace("Authorization", "Bearer " + token);
        return m_server.send("GET", kTokensPath, headers);
    }
};

class BehindProxyApi : public AllowedIpsApi {
protected:
    BehindProxyApi() : AllowedIpsApi(behind_proxy("127.0.0.0/8")) {}
};
} // namespace

TEST_F(AllowedIpsApi, CreateStoresEntriesNormalizedAndListShowsThem) {
    auto token = created(m_full, R"({"allowedIps":["10.1.2.3/8","203.0.113.9","::ffff:10.0.0.1",
                                                   "2001:DB8::1/32","10.0.0.0/8"]})");
    nlohmann::json expected = {"10.0.0.0/8", "203.0.113.9/32", "10.0.0.1/32", "2001:db8::/32"};
    EXPECT_EQ(token["allowedIps"], expected);
    for (const auto& listed : live_tokens()) {
        if (listed["_id"] == token["_id"]) {
            EXPECT_EQ(listed["allowedIps"], expected);
        }
    }
}

TEST_F(AllowedIpsApi, OmittedOrEmptyFromAnUnrestrictedCallerMeansAnyAddress) {
    EXPECT_EQ(created(m_full, "{}")["allowedIps"], nlohmann::json::array());
    EXPECT_EQ(created(m_full, R"({"allowedIps":[]})")["allowedIps"], nlohmann::json::array());
}

TEST_F(AllowedIpsApi, MalformedEntryGets400NamingItsPositionAndCreatesNothing) {
    auto before = live_tokens().size();
    for (const char* entry : {"\"1.2.3.4/33\"", "\"010.0.0.1\"", "\"fe80::1%eth0\"",
                              "\" 10.0.0.1\"", "\"10.0.0.0/8 \"", "\"example.com\"", "\"\""}) {
        auto reply =
            create(m_full, std::string(R"({"allowedIps":["10.0.0.0/8","::1",)") + entry + "]}");
        expect_error(reply, 400);
        EXPECT_NE(message_of(reply).find("allowedIps[2]"), std::string::npos) << message_of(reply);
    }
    EXPECT_EQ(live_tokens().size(), before);
}

TEST_F(AllowedIpsApi, WrongTypesAndTooManyEntriesGet400) {
    auto before = live_tokens().size();
    expect_error(create(m_full, R"({"allowedIps":"10.0.0.0/8"})"), 400);
    expect_error(create(m_full, R"({"allowedIps":null})"), 400);
    auto reply = create(m_full, R"({"allowedIps":["10.0.0.0/8",5]})");
    expect_error(reply, 400);
    EXPECT_NE(message_of(reply).find("allowedIps[1]"), std::string::npos);
    std::string many = "[";
    for (int i = 0; i < 101; ++i) {
        many += (i ? ",\"10.0.0." : "\"10.0.0.") + std::to_string(i) + "\"";
    }
    expect_error(create(m_full, R"({"allowedIps":)" + many + "]}"), 400);
    EXPECT_EQ(live_tokens().size(), before);
}

TEST_F(AllowedIpsApi, AHundredEntriesAreAccepted) {
    std::string many = "[";
    for (int i = 0; i < 100; ++i) {
        many += (i ? ",\"10.0.0." : "\"10.0.0.") + std::to_string(i) + "\"";
    }
    EXPECT_EQ(created(m_full, R"({"allowedIps":)" + many + "]}")["allowedIps"].size(), 100u);
}

TEST_F(AllowedIpsApi, TokenFromInsideItsListWorks) {
    auto token = token_with(R"(["127.0.0.0/8"])");
    EXPECT_EQ(list(token).status, 200);
    EXPECT_EQ(m_server.get(kCheck, token).status, 204);
}

TEST_F(AllowedIpsApi, TokenFromOutsideItsListGets403NamingTheAddress) {
    auto token = token_with(R"(["10.0.0.0/8","::1"])");
    for (const auto& path : {kTokensPath, std::string("/api/v1/admin/account"),
                             std::string("/api/v1/admin/websites")}) {
        auto reply = m_server.get(path, token);
        expect_error(reply, 403);
        EXPECT_EQ(message_of(reply), "This token cannot be used from 127.0.0.1.") << path;
    }
    // A write refused for the address changes nothing.
    auto before = live_tokens().size();
    expect_error(create(token, "{}"), 403);
    EXPECT_EQ(live_tokens().size(), before);
}

TEST_F(AllowedIpsApi, CheckFromOutsideGets403WithReasonIpForbidden) {
    auto token = token_with(R"(["192.0.2.0/24"])");
    auto reply = m_server.get(kCheck, token);
    expect_error(reply, 403);
    EXPECT_EQ(reply.header("X-Tokend-Reason"), "ip_forbidden");
    EXPECT_EQ(message_of(reply), "This token cannot be used from 127.0.0.1.");
}

TEST_F(AllowedIpsApi, RefusedAddressDoesNotCountTowardTheFailedAuthThrottle) {
    auto token = token_with(R"(["192.0.2.0/24"])");
    for (int i = 0; i < 20; ++i) {
        ASSERT_EQ(m_server.get(kTokensPath, token).status, 403) << i;
    }
    EXPECT_EQ(list(m_full).status, 200);
    std::string random(tokend::core::kTokenRandomLength, 'Z');
    auto unknown = "dft_" + random + tokend::core::base62_checksum(tokend::core::crc32(random));
    EXPECT_EQ(m_server.get(kTokensPath, unknown).status, 401);
}

TEST_F(AllowedIpsApi, NewListMustLieWithinTheCallersList) {
    auto parent = token_with(R"(["127.0.0.0/8","192.0.2.0/24"])");
    EXPECT_EQ(created(parent, R"({"allowedIps":["127.0.0.1","192.0.2.128/25"]})")["allowedIps"],
              (nlohmann::json{"127.0.0.1/32", "192.0.2.128/25"}));
    auto before = live_tokens().size();
    for (const char* wider : {R"(["10.0.0.0/8"])", R"(["127.0.0.0/7"])", R"(["0.0.0.0/0"])",
                              R"(["127.0.0.1","::1"])", R"(["::/0"])"}) {
        auto reply = create(parent, std::string(R"({"allowedIps":)") + wider + "}");
        expect_error(reply, 403);
    }
    EXPECT_EQ(live_tokens().size(), before);
}

TEST_F(AllowedIpsApi, OmittedOrEmptyCopiesTheCallersList) {
    auto parent = token_with(R"(["127.0.0.0/8"])");
    EXPECT_EQ(created(parent, "{}")["allowedIps"], (nlohmann::json{"127.0.0.0/8"}));
    EXPECT_EQ(created(parent, R"({"allowedIps":[]})")["allowedIps"],
              (nlohmann::json{"127.0.0.0/8"}));
}

TEST_F(AllowedIpsApi, SpoofedForwardingHeadersFromAnUntrustedPeerChangeNothing) {
    auto token = token_with(R"(["203.0.113.0/24"])");
    auto reply =
        list_with(token, {{"X-Forwarded-For", "203.0.113.5"}, {"X-Real-IP", "203.0.113.5"}});
    expect_error(reply, 403);
    EXPECT_EQ(message_of(reply), "This token cannot be used from 127.0.0.1.");
    auto allowed_here = token_with(R"(["127.0.0.1"])");
    EXPECT_EQ(
        list_with(allowed_here, {{"X-Forwarded-For", "192.0.2.1"}, {"X-Real-IP", "192.0.2.1"}})
            .status,
        200);
}

TEST_F(BehindProxyApi, TrustedProxyPassesTheClientAddress) {
    auto token = token_with(R"(["203.0.113.0/24"])");
    EXPECT_EQ(list_with(token, {{"X-Real-IP", "203.0.113.5"}}).status, 200);
    EXPECT_EQ(list_with(token, {{"X-Forwarded-For", "203.0.113.5, 127.0.0.2"}}).status, 200);
    // The left entry is whatever the client claimed; the proxy's own hop is the rightmost.
    auto spoofed = list_with(token, {{"X-Forwarded-For", "203.0.113.5, 198.51.100.7"}});
    expect_error(spoofed, 403);
    EXPECT_EQ(message_of(spoofed), "This token cannot be used from 198.51.100.7.");
    auto check = m_server.send("GET", kCheck,
                               {{"Authorization", "Bearer " + token}, {"X-Real-IP", "192.0.2.9"}});
    EXPECT_EQ(check.status, 403);
    EXPECT_EQ(check.header("X-Tokend-Reason"), "ip_forbidden");
}

TEST_F(BehindProxyApi, MalformedForwardedValueFallsBackToThePeer) {
    auto token = token_with(R"(["203.0.113.0/24"])");
    auto reply = list_with(token, {{"X-Real-IP", "203.0.113.5:4711"}});
    expect_error(reply, 403);
    EXPECT_EQ(message_of(reply), "This token cannot be used from 127.0.0.1.");
}

TEST_F(BehindProxyApi, FailedAuthThrottleCountsTheForwardedAddress) {
    std::string random(tokend::core::kTokenRandomLength, 'Y');
    auto unknown = "dft_" + random + tokend::core::base62_checksum(tokend::core::crc32(random));
    for (int i = 0; i < 5; ++i) {
        ASSERT_EQ(list_with(unknown, {{"X-Real-IP", "198.51.100.1"}}).status, 401) << i;
    }
    EXPECT_EQ(list_with(unknown, {{"X-Real-IP", "198.51.100.1"}}).status, 429);
    // Another client behind the same proxy is not throttled by the first one's guesses.
    EXPECT_EQ(list_with(unknown, {{"X-Real-IP", "198.51.100.2"}}).status, 401);
}

TEST(AllowedIpsUntrustedPeer, SpoofedHeadersDoNotEscapeTheFailedAuthThrottle) {
    tokend::AppConfig config;
    config.failed_auth.burst = 3;
    config.failed_auth.refill_per_second = 0.001;
    TestServer server(config);
    std::string random(tokend::core::kTokenRandomLength, 'X');
    auto unknown = "dft_" + random + tokend::core::base62_checksum(tokend::core::crc32(random));
    for (int i = 0; i < 6; ++i) {
        std::string spoof = "198.51.100." + std::to_string(i);
        server.send("GET", kTokensPath,
                    {{"Authorization", "Bearer " + unknown},
                     {"X-Real-IP", spoof},
                     {"X-Forwarded-For", spoof}});
    }
    auto reply = server.send("GET", kTokensPath,
                             {{"Authorization", "Bearer " + unknown}, {"X-Real-IP", "192.0.2.1"}});
    EXPECT_EQ(reply.status, 429);
}
