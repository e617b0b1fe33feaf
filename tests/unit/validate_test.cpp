// Input rules of validate.hpp: names, emails, domains, time zones, and what messages may quote.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "core/error.hpp"
#include "core/validate.hpp"

using namespace tokend::core;

namespace {
std::string repeat(const std::string& piece, int times) {
    std::string out;
    for (int i = 0; i < times; ++i) {
        out += piece;
    }
    return out;
}

// The message of the InvalidInput error `fn` throws, or "" (and a test failure) if it does not.
std::string invalid_input_message(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), ErrorCode::InvalidInput);
        return error.what();
    }
    ADD_FAILURE() << "no error thrown";
    return "";
}

void expect_name_rejected(const std::string& raw) {
    std::string message = invalid_input_message([&] { normalize_name(raw, "name"); });
    EXPECT_EQ(message.rfind("name ", 0), 0u) << "message should name the field: " << message;
}
} // namespace

TEST(NormalizeName, TrimsSurroundingSpaces) {
    EXPECT_EQ(normalize_name("  my token  ", "name"), "my token");
}

TEST(NormalizeName, EmptyOrBlankBecomesNull) {
    EXPECT_EQ(normalize_name("", "name"), std::nullopt);
    EXPECT_EQ(normalize_name("     ", "name"), std::nullopt);
}

TEST(NormalizeName, AcceptsOneHundredMultibyteCodePoints) {
    EXPECT_EQ(normalize_name(repeat("é", 100), "name"), repeat("é", 100));
    EXPECT_EQ(normalize_name(repeat("😀", 100), "name"), repeat("😀", 100));
}

TEST(NormalizeName, RejectsOneHundredAndOneCodePoints) {
    expect_name_rejected(repeat("é", 101));
    expect_name_rejected(repeat("a", 101));
}

TEST(NormalizeName, CountsLengthAfterTrimming) {
    EXPECT_EQ(normalize_name("   " + repeat("a", 100) + "   ", "name"), repeat("a", 100));
}

TEST(NormalizeName, RejectsC0ControlCharacters) {
    for (char c : {'\x01', '\t', '\n', '\r', '\x1f'}) {
        expect_name_rejected(std::string("a") + c + "b");
    }
    expect_name_rejected(std::string("a\0b", 3));
}

TEST(NormalizeName, RejectsDel) {
    expect_name_rejected("a\x7f");
}

TEST(NormalizeName, RejectsInvalidUtf8) {
    for (const char* bad :
         {"\xff", "a\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\x80"}) {
        expect_name_rejected(bad);
    }
}

TEST(NormalizeName, UsesTheGivenFieldInMessages) {
    std::string message = invalid_input_message([] { normalize_name("\x01", "--name"); });
    EXPECT_EQ(message.rfind("--name ", 0), 0u) << message;
}

TEST(NormalizeEmail, LowerCasesAPlausibleAddress) {
    EXPECT_EQ(normalize_email("Alice@Example.COM", "email"), "alice@example.com");
}

TEST(NormalizeEmail, RejectsImplausibleShapes) {
    for (const char* bad : {"", "alice", "@example.com", "alice@", "a@b@c.com",
                            "al ice@example.com", "alice@exa\tmple.com", "alice\x7f@example.com"}) {
        std::string message = invalid_input_message([&] { normalize_email(bad, "email"); });
        EXPECT_EQ(message.rfind("email ", 0), 0u) << bad << ": " << message;
    }
}

TEST(NormalizeEmail, AcceptsTwoHundredFiftyFourCharactersAndNoMore) {
    std::string local(64, 'a');
    std::string at_254 = local + "@" + std::string(254 - 65 - 4, 'b') + ".com";
    ASSERT_EQ(at_254.size(), 254u);
    EXPECT_EQ(normalize_email(at_254, "email"), at_254);
    invalid_input_message([&] { normalize_email(at_254 + "m", "email"); });
}

TEST(CheckPassword, RequiresEightCharacters) {
    invalid_input_message([] { check_password("1234567"); });
    EXPECT_NO_THROW(check_password("12345678"));
}

TEST(NormalizeDomain, LowerCasesAHostName) {
    EXPECT_EQ(normalize_domain("Example.COM", "domain"), "example.com");
    EXPECT_EQ(normalize_domain("a-b.example.co.uk", "domain"), "a-b.example.co.uk");
}

TEST(NormalizeDomain, RejectsSchemePortPathSpacesAndBadLabels) {
    for (const char* bad :
         {"https://example.com", "example.com:8080", "example.com/path", "exa mple.com", "",
          ".example.com", "example.com.", "a..com", "-a.com", "a-.com", "exa_mple.com"}) {
        std::string message = invalid_input_message([&] { normalize_domain(bad, "domain"); });
        EXPECT_EQ(message.rfind("domain ", 0), 0u) << bad << ": " << message;
    }
}

TEST(NormalizeDomain, RejectsLabelsOverSixtyThreeCharacters) {
    EXPECT_NO_THROW(normalize_domain(std::string(63, 'a') + ".com", "domain"));
    invalid_input_message([] { normalize_domain(std::string(64, 'a') + ".com", "domain"); });
}

TEST(Timezone, KnowsIanaNames) {
    for (const char* name : {"UTC", "Europe/Paris", "America/New_York", "Asia/Tokyo"}) {
        EXPECT_TRUE(is_known_timezone(name)) << name;
    }
}

TEST(Timezone, RejectsUnknownOrMiscasedNames) {
    for (const char* name : {"", "Mars/Olympus", "europe/paris", "UTC+1", "Europe/Paris "}) {
        EXPECT_FALSE(is_known_timezone(name)) << name;
    }
}

TEST(QuoteForMessage, QuotesShortPrintableValues) {
    EXPECT_EQ(quote_for_message("goals:admin"), "\"goals:admin\"");
}

TEST(QuoteForMessage, NeverEchoesTokenLikeValues) {
    for (const char* value :
         {"dft_abc", "DFT_ABC", "x dft_abc", "Bearer dft_abcdefghijABCDEFGHIJ0123456789"}) {
        EXPECT_EQ(quote_for_message(value), "") << value;
    }
}

TEST(QuoteForMessage, NeverEchoesLongOrUnprintableValues) {
    EXPECT_EQ(quote_for_message(std::string(65, 'a')), "");
    EXPECT_EQ(quote_for_message("a\nb"), "");
    EXPECT_EQ(quote_for_message("caf\xc3\xa9"), "");
    EXPECT_EQ(quote_for_message("say \"hi\""), "");
}

TEST(Utf8, CountsCodePoints) {
    EXPECT_EQ(code_point_count("aé😀"), 3u);
    EXPECT_TRUE(is_valid_utf8("aé😀"));
    EXPECT_FALSE(is_valid_utf8("\xe2\x82"));
}

TEST(NormalizeName, RejectsAPastedToken) {
    std::string message = invalid_input_message([] {
        normalize_name("my key dft_abcdefghijABCDEFGHIJ0123456789"
                       "2C2O59 oops",
                       "name");
    });
    EXPECT_EQ(message.find("dft_"), std::string::npos) << message;
}

TEST(NormalizeName, AllowsTheWordDftThatIsNotAToken) {
    EXPECT_EQ(normalize_name("dft_ keys for CI", "name"), "dft_ keys for CI");
}
