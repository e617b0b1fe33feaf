// The client-address rule of SPEC §11.6: the peer, unless it is a trusted proxy; then X-Real-IP,
// else the rightmost untrusted X-Forwarded-For entry; malformed values from a proxy → the peer.
#include <gtest/gtest.h>

#include "core/client_address.hpp"

using namespace tokend::core;

namespace {
IpRanges trusted(std::initializer_list<const char*> texts) {
    IpRanges out;
    for (const char* t : texts) {
        out.push_back(*parse_ip_range(t));
    }
    return out;
}

ForwardingHeaders real_ip(std::string_view value) {
    return {value, false, std::nullopt};
}

ForwardingHeaders forwarded_for(std::string_view value) {
    return {std::nullopt, false, value};
}

const IpRanges kProxies = trusted({"10.0.0.0/8", "2001:db8:ffff::/48"});
} // namespace

TEST(ClientAddress, IsThePeerWithoutTrustedProxies) {
    EXPECT_EQ(client_address("203.0.113.9", {}, {}), "203.0.113.9");
    EXPECT_EQ(client_address("203.0.113.9", {}, real_ip("198.51.100.1")), "203.0.113.9");
    EXPECT_EQ(client_address("203.0.113.9", {}, forwarded_for("198.51.100.1")), "203.0.113.9");
}

TEST(ClientAddress, IgnoresHeadersFromAnUntrustedPeer) {
    EXPECT_EQ(client_address("203.0.113.9", kProxies, real_ip("10.0.0.1")), "203.0.113.9");
    EXPECT_EQ(client_address("203.0.113.9", kProxies, forwarded_for("198.51.100.1, 10.0.0.1")),
              "203.0.113.9");
}

TEST(ClientAddress, PeerIsWrittenCanonically) {
    EXPECT_EQ(client_address("::ffff:127.0.0.1", {}, {}), "127.0.0.1");
    EXPECT_EQ(client_address("2001:DB8:0::1", {}, {}), "2001:db8::1");
    EXPECT_EQ(client_address("fe80::1%eth0", {}, {}), "fe80::1");
    EXPECT_EQ(client_address("", {}, {}), "");
}

TEST(ClientAddress, TrustedProxyPassesXRealIp) {
    EXPECT_EQ(client_address("10.0.0.2", kProxies, real_ip("198.51.100.1")), "198.51.100.1");
    EXPECT_EQ(client_address("::ffff:10.0.0.2", kProxies, real_ip(" 2001:DB8::7 ")), "2001:db8::7");
    // X-Real-IP wins over X-Forwarded-For: it is what the recipe's proxy sets.
    EXPECT_EQ(
        client_address("10.0.0.2", kProxies,
                       {std::string_view("198.51.100.1"), false, std::string_view("192.0.2.1")}),
        "198.51.100.1");
}

TEST(ClientAddress, TrustedProxyUsesRightmostUntrustedForwardedFor) {
    struct Case {
        const char* header;
        const char* client;
    };
    const Case cases[] = {
        {"198.51.100.1", "198.51.100.1"},
        {"192.0.2.66, 198.51.100.1", "198.51.100.1"}, // the left entry is the client's own claim
        {"192.0.2.66, 198.51.100.1, 10.0.0.7", "198.51.100.1"},
        {"198.51.100.1,10.1.1.1,10.2.2.2", "198.51.100.1"},
        {"198.51.100.1, 2001:db8:ffff::3", "198.51.100.1"},
        {"10.0.0.5, 10.0.0.6", "10.0.0.5"}, // every hop trusted: the farthest one
        {" 198.51.100.1 ,\t10.0.0.7", "198.51.100.1"},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(client_address("10.0.0.2", kProxies, forwarded_for(c.header)), c.client)
            << c.header;
    }
}

TEST(ClientAddress, MalformedValueFromTrustedProxyFallsBackToPeer) {
    for (const char* value :
         {"", "unknown", "198.51.100.1:4711", "[2001:db8::1]", "198.51.100.1, ", ", 198.51.100.1",
          "198.51.100.1,,10.0.0.7", "fe80::1%eth0", "01.2.3.4", "198.51.100.0/24"}) {
        EXPECT_EQ(client_address("10.0.0.2", kProxies, forwarded_for(value)), "10.0.0.2") << value;
        EXPECT_EQ(client_address("10.0.0.2", kProxies, real_ip(value)), "10.0.0.2") << value;
    }
    EXPECT_EQ(client_address("10.0.0.2", kProxies, {std::nullopt, true, std::nullopt}), "10.0.0.2");
}

TEST(ClientAddress, TrustedProxyWithoutHeadersIsTheClient) {
    EXPECT_EQ(client_address("10.0.0.2", kProxies, {}), "10.0.0.2");
}
