// Address and CIDR rules of SPEC §11.6: strict parsing, normalized storage form, containment,
// IPv4-mapped IPv6 matching as IPv4, and "not wider than the caller" for allow lists.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/ip_range.hpp"

using namespace tokend::core;

namespace {
IpRange range(const std::string& text) {
    auto parsed = parse_ip_range(text);
    EXPECT_TRUE(parsed) << text;
    return parsed.value_or(IpRange{});
}

IpRanges ranges(const std::vector<std::string>& texts) {
    IpRanges out;
    for (const auto& t : texts) {
        out.push_back(range(t));
    }
    return out;
}

IpAddress address(const std::string& text) {
    auto parsed = parse_ip_address(text);
    EXPECT_TRUE(parsed) << text;
    return parsed.value_or(IpAddress{});
}
} // namespace

TEST(IpRange, NormalizesAcceptedForms) {
    struct Case {
        const char* input;
        const char* stored;
    };
    const Case cases[] = {
        {"203.0.113.9", "203.0.113.9/32"},
        {"203.0.113.9/32", "203.0.113.9/32"},
        {"10.1.2.3/8", "10.0.0.0/8"},
        {"192.168.7.200/23", "192.168.6.0/23"},
        {"0.0.0.0/0", "0.0.0.0/0"},
        {"1.2.3.4/0", "0.0.0.0/0"},
        {"255.255.255.255", "255.255.255.255/32"},
        {"0.0.0.0", "0.0.0.0/32"},
        {"2001:db8::1", "2001:db8::1/128"},
        {"2001:DB8::/32", "2001:db8::/32"},
        {"2001:db8:1234:5678::1/48", "2001:db8:1234::/48"},
        {"2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1/128"},
        {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1/128"},    // first of two equal runs
        {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1/128"}, // one zero group stays
        {"::", "::/128"},
        {"::/0", "::/0"},
        {"::1", "::1/128"},
        {"fe80::1:2/10", "fe80::/10"},
        {"::ffff:203.0.113.9", "203.0.113.9/32"},
        {"::ffff:10.1.2.3/104", "10.0.0.0/8"},
        {"::ffff:cb00:7109", "203.0.113.9/32"},
        {"::ffff:0:0/96", "0.0.0.0/0"},
        {"::ffff:0:0/80", "::/80"},
    };
    for (const auto& c : cases) {
        auto parsed = parse_ip_range(c.input);
        ASSERT_TRUE(parsed) << c.input;
        EXPECT_EQ(format_ip_range(*parsed), c.stored) << c.input;
        // The stored form reads back as the same range.
        EXPECT_EQ(parse_ip_range(format_ip_range(*parsed)), parsed) << c.input;
    }
}

TEST(IpRange, RejectsMalformedText) {
    for (const char* input : {
             "",
             " ",
             "1.2.3",
             "1.2.3.4.5",
             "256.0.0.1",
             "1.2.3.-1",
             "01.2.3.4",  // leading zero: octal to some parsers
             "1.2.3.010", // likewise
             "0x1.2.3.4",
             "1.2.3.4/33",
             "1.2.3.4/-1",
             "1.2.3.4/",
             "1.2.3.4/08", // leading zero in the prefix
             "1.2.3.4/8/8",
             "1.2.3.4/ 8",
             " 1.2.3.4",
             "1.2.3.4 ",
             "1.2.3.4:80",
             "1 .2.3.4",
             "2001:db8::/129",
             "2001:db8:::1",
             "2001:db8::1::2",
             "12345::",
             "2001:db8::g",
             ":::",
             "1:2:3:4:5:6:7:8:9",
             "fe80::1%eth0", // zone id
             "fe80::1%25eth0",
             "[::1]",
             "[::1]:80",
             "::ffff:01.2.3.4",
             "localhost",
             "example.com",
             "dft_abc",
             "1.2.3.4\n",
         }) {
        EXPECT_FALSE(parse_ip_range(input)) << '"' << input << '"';
    }
    // Embedded NULs, as std::strings (a c_str() of a temporary would dangle in the list above).
    EXPECT_FALSE(parse_ip_range(std::string("1.2.3.4\0", 8)));
    EXPECT_FALSE(parse_ip_range(std::string("1.2.3.4\0/8", 10)));
    EXPECT_FALSE(parse_ip_range(std::string(200, '1')));
}

TEST(IpRange, AddressesTakeNoPrefix) {
    EXPECT_FALSE(parse_ip_address("10.0.0.0/8"));
    EXPECT_EQ(format_ip_address(address("::ffff:127.0.0.1")), "127.0.0.1");
    EXPECT_EQ(format_ip_address(address("2001:db8::1")), "2001:db8::1");
}

TEST(IpRange, ContainsAddresses) {
    struct Case {
        const char* range;
        const char* address;
        bool inside;
    };
    const Case cases[] = {
        {"10.0.0.0/8", "10.255.255.255", true},
        {"10.0.0.0/8", "11.0.0.0", false},
        {"203.0.113.9", "203.0.113.9", true},
        {"203.0.113.9", "203.0.113.10", false},
        {"0.0.0.0/0", "198.51.100.1", true},
        {"0.0.0.0/0", "2001:db8::1", false},
        {"10.0.0.0/8", "::ffff:10.9.8.7", true}, // mapped client, v4 list
        {"::ffff:10.0.0.0/104", "10.9.8.7", true},
        {"2001:db8::/32", "2001:db8:ffff::1", true},
        {"2001:db8::/32", "2001:db9::", false},
        {"::/0", "2001:db8::1", true},
        {"::/0", "10.0.0.1", true}, // ::/0 really is every address
        {"::1", "127.0.0.1", false},
        {"::10.0.0.1", "10.0.0.1", false}, // IPv4-compatible is not mapped
    };
    for (const auto& c : cases) {
        EXPECT_EQ(contains(range(c.range), address(c.address)), c.inside)
            << c.range << " ∋ " << c.address;
    }
}

TEST(IpRange, ContainsRanges) {
    EXPECT_TRUE(contains(range("10.0.0.0/8"), range("10.1.0.0/16")));
    EXPECT_TRUE(contains(range("10.0.0.0/8"), range("10.0.0.0/8")));
    EXPECT_FALSE(contains(range("10.1.0.0/16"), range("10.0.0.0/8")));
    EXPECT_FALSE(contains(range("10.0.0.0/8"), range("11.0.0.0/16")));
    EXPECT_TRUE(contains(range("2001:db8::/32"), range("2001:db8:1::/48")));
    EXPECT_FALSE(contains(range("2001:db8::/32"), range("2001::/16")));
    EXPECT_FALSE(contains(range("0.0.0.0/0"), range("::/0")));
}

TEST(IpRange, EmptyListAllowsAnyAddressAndListsAllowOnlyTheirRanges) {
    EXPECT_TRUE(allows({}, address("198.51.100.7")));
    auto list = ranges({"10.0.0.0/8", "2001:db8::/32"});
    EXPECT_TRUE(allows(list, address("10.2.3.4")));
    EXPECT_TRUE(allows(list, address("2001:db8::5")));
    EXPECT_FALSE(allows(list, address("192.0.2.1")));
    EXPECT_FALSE(in_any({}, address("10.2.3.4")));
}

TEST(IpRange, LiesWithinFollowsNotWiderThanTheCaller) {
    struct Case {
        std::vector<std::string> inner;
        std::vector<std::string> outer;
        bool within;
    };
    const Case cases[] = {
        {{}, {}, true},              // any inside any
        {{"10.0.0.0/8"}, {}, true},  // caller has no list
        {{}, {"10.0.0.0/8"}, false}, // "any" is wider than a list
        {{"10.1.0.0/16"}, {"10.0.0.0/8"}, true},
        {{"10.0.0.0/8"}, {"10.0.0.0/8"}, true},
        {{"10.0.0.0/7"}, {"10.0.0.0/8"}, false},
        {{"10.1.0.0/16", "192.0.2.0/24"}, {"10.0.0.0/8"}, false}, // every range must fit
        {{"10.1.0.0/16", "192.0.2.5"}, {"10.0.0.0/8", "192.0.2.0/24"}, true},
        {{"10.0.0.0/8"}, {"10.0.0.0/9", "10.128.0.0/9"}, false}, // inside one range, not the union
        {{"::ffff:10.1.0.0/112"}, {"10.0.0.0/8"}, true},
        {{"2001:db8::1"}, {"10.0.0.0/8"}, false},
        {{"10.0.0.1"}, {"::/0"}, true},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(lies_within(ranges(c.inner), ranges(c.outer)), c.within)
            << testing::PrintToString(c.inner) << " within " << testing::PrintToString(c.outer);
    }
}

TEST(IpRange, StoredListChecksTheClientAddress) {
    EXPECT_TRUE(allows_text({}, "not an address"));
    EXPECT_TRUE(allows_text({"10.0.0.0/8"}, "10.0.0.1"));
    EXPECT_TRUE(allows_text({"10.0.0.0/8"}, "::ffff:10.0.0.1"));
    EXPECT_FALSE(allows_text({"10.0.0.0/8"}, "192.0.2.1"));
    EXPECT_FALSE(allows_text({"10.0.0.0/8"}, "not an address"));
    EXPECT_THROW(allows_text({"garbage"}, "10.0.0.1"), std::runtime_error);
}
