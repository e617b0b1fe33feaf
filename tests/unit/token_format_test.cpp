// The token format of SPEC §3: CRC-32 as zlib computes it, base62 checksum, shape check, display
// key.
#include <gtest/gtest.h>

#include <string>

#include "core/token_format.hpp"

using namespace tokend::core;

namespace {
// A known good token: 30 random characters and the checksum computed with Python's zlib.crc32.
const std::string kRandom = "abcdefghijABCDEFGHIJ0123456789";
const std::string kGood = "dft_" + kRandom + "2C2O59";
} // namespace

TEST(Crc32, MatchesZlibCheckValue) {
    EXPECT_EQ(crc32("123456789"), 0xCBF43926u);
}

TEST(Crc32, MatchesZlibOnOtherVectors) {
    EXPECT_EQ(crc32(""), 0u);
    EXPECT_EQ(crc32("a"), 0xE8B7BE43u);
    EXPECT_EQ(crc32("The quick brown fox jumps over the lazy dog"), 0x414FA339u);
    EXPECT_EQ(crc32(kRandom), 0x77D0780Fu);
}

TEST(Base62Checksum, IsSixCharactersLeftPaddedWithZero) {
    EXPECT_EQ(base62_checksum(0), "000000");
    EXPECT_EQ(base62_checksum(61), "00000z");
    EXPECT_EQ(base62_checksum(62), "000010");
}

TEST(Base62Checksum, PutsMostSignificantDigitFirst) {
    EXPECT_EQ(base62_checksum(0xFFFFFFFFu), "4gfFC3");
    EXPECT_EQ(base62_checksum(0xCBF43926u), "3jZRME");
}

TEST(TokenFromRandom, BuildsPrefixThirtyCharactersAndChecksum) {
    std::string bytes(30, '\0');
    std::string token = token_from_random(bytes);
    EXPECT_EQ(token, "dft_" + std::string(30, '0') + "2C8GjS");
    EXPECT_EQ(token.size(), kTokenLength);
}

TEST(TokenFromRandom, SkipsBytesThatWouldBiasTheAlphabet) {
    std::string bytes;
    for (int i = 0; i < 30; ++i) {
        bytes.push_back(static_cast<char>(0xFF));   // rejected
        bytes.push_back(static_cast<char>(62 + i)); // 62+i ≡ i (mod 62)
    }
    std::string token = token_from_random(bytes);
    EXPECT_EQ(token.substr(4, 30), "0123456789ABCDEFGHIJKLMNOPQRST");
    EXPECT_TRUE(is_well_formed_token(token));
}

TEST(TokenFromRandom, ReturnsEmptyWhenBytesRunOut) {
    EXPECT_EQ(token_from_random(std::string(29, 'a')), "");
    EXPECT_EQ(token_from_random(std::string(60, static_cast<char>(0xF8))), "");
}

TEST(WellFormedToken, AcceptsAGoodToken) {
    EXPECT_TRUE(is_well_formed_token(kGood));
}

TEST(WellFormedToken, RejectsABadChecksum) {
    std::string bad = kGood;
    bad.back() = bad.back() == '9' ? '8' : '9';
    EXPECT_FALSE(is_well_formed_token(bad));
}

TEST(WellFormedToken, RejectsAChangedRandomCharacter) {
    std::string bad = kGood;
    bad[10] = bad[10] == 'x' ? 'y' : 'x';
    EXPECT_FALSE(is_well_formed_token(bad));
}

TEST(WellFormedToken, RejectsWrongLength) {
    EXPECT_FALSE(is_well_formed_token(kGood.substr(0, 39)));
    EXPECT_FALSE(is_well_formed_token(kGood + "0"));
    EXPECT_FALSE(is_well_formed_token(""));
    EXPECT_FALSE(is_well_formed_token("dft_"));
}

TEST(WellFormedToken, RejectsCharactersOutsideBase62) {
    for (char c : {'-', '_', '+', '/', '=', ' ', '.'}) {
        std::string bad = kGood;
        bad[5] = c;
        EXPECT_FALSE(is_well_formed_token(bad)) << c;
    }
    std::string with_nul = kGood;
    with_nul[20] = '\0';
    EXPECT_FALSE(is_well_formed_token(with_nul));
}

TEST(WellFormedToken, RejectsWrongPrefix) {
    for (const char* prefix : {"DFT_", "dfx_", "dft-", "xdft"}) {
        EXPECT_FALSE(is_well_formed_token(prefix + kGood.substr(4))) << prefix;
    }
}

TEST(DisplayKey, ShowsPrefixFirstThreeAndLastFour) {
    EXPECT_EQ(display_key(kGood), "dft_abc...2O59");
}
