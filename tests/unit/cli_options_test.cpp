// Command-line parsing (SPEC §1): flags, TOKEND_* fallbacks, --listen addresses.
#include <gtest/gtest.h>

#include <cstdlib>

#include "cli/listen_address.hpp"
#include "cli/options.hpp"

using tokend::cli::FlagSpec;
using tokend::cli::Options;
using tokend::cli::parse_listen_address;
using tokend::cli::UsageError;

namespace {
// Flag names no real command uses, so the variables set here cannot leak into other tests.
const std::vector<FlagSpec> kSpecs = {{"unit-dir"}, {"unit-count"}, {"unit-switch", false}};

// Sets an environment variable for the life of the object.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const char* value) : m_name(name) { ::setenv(name, value, 1); }
    ~ScopedEnv() { ::unsetenv(m_name); }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    const char* m_name;
};
} // namespace

TEST(Options, EnvNameIsUpperCasedWithUnderscores) {
    EXPECT_EQ(Options::env_name("data-dir"), "TOKEND_DATA_DIR");
    EXPECT_EQ(Options::env_name("max-tokens-per-account"), "TOKEND_MAX_TOKENS_PER_ACCOUNT");
}

TEST(Options, DefaultAppliesWhenNeitherFlagNorVariable) {
    Options options({}, kSpecs);
    EXPECT_EQ(options.get_or("unit-dir", "fallback"), "fallback");
    EXPECT_FALSE(options.get("unit-dir").has_value());
}

TEST(Options, VariableBeatsDefault) {
    ScopedEnv env("TOKEND_UNIT_DIR", "/from/env");
    Options options({}, kSpecs);
    EXPECT_EQ(options.get_or("unit-dir", "fallback"), "/from/env");
}

TEST(Options, FlagBeatsVariable) {
    ScopedEnv env("TOKEND_UNIT_DIR", "/from/env");
    Options options({"--unit-dir", "/from/flag"}, kSpecs);
    EXPECT_EQ(options.get_or("unit-dir", "fallback"), "/from/flag");
}

TEST(Options, EmptyVariableIsIgnored) {
    ScopedEnv env("TOKEND_UNIT_DIR", "");
    Options options({}, kSpecs);
    EXPECT_EQ(options.get_or("unit-dir", "fallback"), "fallback");
}

TEST(Options, AcceptsFlagEqualsValue) {
    Options options({"--unit-dir=/a=b"}, kSpecs);
    EXPECT_EQ(options.get("unit-dir"), "/a=b");
}

TEST(Options, UnknownFlagIsUsageError) {
    EXPECT_THROW(Options({"--no-such-flag", "x"}, kSpecs), UsageError);
}

TEST(Options, StrayWordIsUsageError) {
    EXPECT_THROW(Options({"stray"}, kSpecs), UsageError);
}

TEST(Options, MissingValueIsUsageError) {
    EXPECT_THROW(Options({"--unit-dir"}, kSpecs), UsageError);
}

TEST(Options, BooleanFlagNeedsNoValue) {
    Options options({"--unit-switch", "--unit-dir", "x"}, kSpecs);
    EXPECT_TRUE(options.flag("unit-switch"));
    EXPECT_EQ(options.get("unit-dir"), "x");
}

TEST(Options, BooleanFlagIsOffByDefault) {
    EXPECT_FALSE(Options({}, kSpecs).flag("unit-switch"));
}

TEST(Options, BooleanFlagRejectsAValue) {
    EXPECT_THROW(Options({"--unit-switch=yes"}, kSpecs), UsageError);
}

TEST(Options, BooleanFlagReadsVariable) {
    ScopedEnv env("TOKEND_UNIT_SWITCH", "1");
    EXPECT_TRUE(Options({}, kSpecs).flag("unit-switch"));
}

TEST(Options, RequireRejectsMissingOrEmpty) {
    EXPECT_THROW(Options({}, kSpecs).require("unit-dir"), UsageError);
    EXPECT_THROW(Options({"--unit-dir="}, kSpecs).require("unit-dir"), UsageError);
}

TEST(Options, IntegerWithinRange) {
    EXPECT_EQ(Options({"--unit-count", "7"}, kSpecs).get_int("unit-count", 20, 1, 100), 7);
    EXPECT_EQ(Options({}, kSpecs).get_int("unit-count", 20, 1, 100), 20);
}

TEST(Options, IntegerOutOfRangeOrNotANumberIsUsageError) {
    for (const char* bad : {"0", "101", "-3", "7x", "", "seven", "99999999999"}) {
        EXPECT_THROW(Options({"--unit-count", bad}, kSpecs).get_int("unit-count", 20, 1, 100),
                     UsageError)
            << bad;
    }
}

TEST(ListenAddress, ParsesHostAndPort) {
    auto address = parse_listen_address("127.0.0.1:8080");
    EXPECT_EQ(address.host, "127.0.0.1");
    EXPECT_EQ(address.port, 8080);
    EXPECT_EQ(address.url(8080), "http://127.0.0.1:8080");
}

TEST(ListenAddress, PortZeroIsAllowedAndUrlShowsTheRealPort) {
    auto address = parse_listen_address("0.0.0.0:0");
    EXPECT_EQ(address.port, 0);
    EXPECT_EQ(address.url(43210), "http://0.0.0.0:43210");
}

TEST(ListenAddress, BracketedIpv6) {
    auto address = parse_listen_address("[::1]:9000");
    EXPECT_EQ(address.host, "::1");
    EXPECT_EQ(address.url(9000), "http://[::1]:9000");
}

TEST(ListenAddress, RejectsMalformedAddresses) {
    for (const char* bad :
         {"", "localhost", ":8080", "host:", "host:65536", "host:abc", "host:-1", "host:123456"}) {
        EXPECT_THROW(parse_listen_address(bad), UsageError) << bad;
    }
}
