// Keyset cursors (SPEC §11.11): round trip, and every way a cursor can be wrong is refused —
// tampered, forged, another account's or filter's, truncated, padded, not base64url.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/base64url.hpp"
#include "core/page_cursor.hpp"

using namespace tokend::core;

namespace {
// A stand-in keyed function with the property the codec relies on: the output depends on the
// key and every message byte. (The server passes keyed BLAKE2b from the crypto room.)
CursorMac mac_with(std::string key) {
    return [key](std::string_view message) {
        std::string out(32, '\0');
        std::uint64_t h = 1469598103934665603ull;
        for (char c : key + std::string(message)) {
            h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
        }
        for (std::size_t i = 0; i < out.size(); ++i) {
            h = (h ^ i) * 1099511628211ull;
            out[i] = static_cast<char>(h >> 56);
        }
        return out;
    };
}

const CursorMac kMac = mac_with("server key one");
const PageKey kKey{"2026-12-02T03:55:31.123Z", "6571a3b2c4d5e6f708192a3b"};
const CursorScope kScope{"65a1b2c3d4e5f60718293a4b", "state=active"};
} // namespace

TEST(PageCursor, RoundTripsTheKey) {
    std::string cursor = encode_cursor(kKey, kScope, kMac);
    EXPECT_EQ(decode_cursor(cursor, kScope, kMac), kKey);
}

TEST(PageCursor, IsUrlSafeAndOpaque) {
    std::string cursor = encode_cursor(kKey, kScope, kMac);
    EXPECT_EQ(cursor.find_first_not_of(
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos)
        << cursor;
    EXPECT_EQ(cursor.find(kKey.id), std::string::npos);
}

TEST(PageCursor, RoundTripsUpperBoundaryValues) {
    PageKey key{"9999-12-31T23:59:59.999Z", "ffffffffffffffffffffffff"};
    EXPECT_EQ(decode_cursor(encode_cursor(key, kScope, kMac), kScope, kMac), key);
    PageKey low{"0000-01-01T00:00:00.000Z", "000000000000000000000000"};
    EXPECT_EQ(decode_cursor(encode_cursor(low, kScope, kMac), kScope, kMac), low);
}

TEST(PageCursor, RefusesEveryChangedCharacter) {
    std::string cursor = encode_cursor(kKey, kScope, kMac);
    for (std::size_t i = 0; i < cursor.size(); ++i) {
        std::string tampered = cursor;
        tampered[i] = tampered[i] == 'A' ? 'B' : 'A';
        EXPECT_EQ(decode_cursor(tampered, kScope, kMac), std::nullopt) << "position " << i;
    }
}

TEST(PageCursor, RefusesAnotherAccountsCursor) {
    std::string cursor = encode_cursor(kKey, kScope, kMac);
    CursorScope other{"65a1b2c3d4e5f60718293a4c", kScope.filter};
    EXPECT_EQ(decode_cursor(cursor, other, kMac), std::nullopt);
}

TEST(PageCursor, RefusesACursorOfAnotherFilter) {
    std::string cursor = encode_cursor(kKey, kScope, kMac);
    for (const char* filter : {"", "state=expired", "state=activ"}) {
        EXPECT_EQ(decode_cursor(cursor, {kScope.account_id, filter}, kMac), std::nullopt) << filter;
    }
}

TEST(PageCursor, RefusesACursorSealedWithAnotherServerKey) {
    std::string cursor = encode_cursor(kKey, kScope, mac_with("server key two"));
    EXPECT_EQ(decode_cursor(cursor, kScope, kMac), std::nullopt);
}

TEST(PageCursor, RefusesAForgedBodyWithAnyTag) {
    // An attacker who knows the layout writes their own (createdAt, id) and guesses the tag.
    std::string body(1, '\1');
    body += "2999-01-01T00:00:00.000Z";
    body += std::string(12, '\x11');
    for (char fill : {'\0', '\x7f', '\xff'}) {
        std::string forged = base64url_encode(body + std::string(kCursorTagLength, fill));
        EXPECT_EQ(decode_cursor(forged, kScope, kMac), std::nullopt);
    }
}

TEST(PageCursor, RefusesMalformedText) {
    std::string cursor = encode_cursor(kKey, kScope, kMac);
    std::vector<std::string> bad = {
        "",
        "null",
        cursor.substr(0, cursor.size() - 1),
        cursor + "A",
        cursor + "=",
        cursor.substr(0, cursor.size() - 1) + "=",
        cursor.substr(0, cursor.size() - 1) + "+",
        cursor.substr(0, cursor.size() - 1) + "/",
        std::string(cursor.size(), '.'),
        std::string(cursor.size(), 'A'),
        std::string(10000, 'A'),
        std::string(cursor.size() - 1, 'A') + '\0',
    };
    for (const auto& text : bad) {
        EXPECT_EQ(decode_cursor(text, kScope, kMac), std::nullopt) << text.substr(0, 80);
    }
}

TEST(PageCursor, RefusesAnotherVersion) {
    auto bytes = base64url_decode(encode_cursor(kKey, kScope, kMac));
    ASSERT_TRUE(bytes);
    (*bytes)[0] = '\2';
    EXPECT_EQ(decode_cursor(base64url_encode(*bytes), kScope, kMac), std::nullopt);
}

TEST(PageCursor, EncodeRejectsAKeyThatIsNotAStoredPair) {
    EXPECT_THROW(encode_cursor({"2026-12-02T03:55:31Z", kKey.id}, kScope, kMac),
                 std::invalid_argument);
    EXPECT_THROW(encode_cursor({kKey.created_at, "not-an-id"}, kScope, kMac),
                 std::invalid_argument);
}

TEST(Base64url, EncodesRfc4648Vectors) {
    // RFC 4648 §10 test vectors, without padding.
    const std::vector<std::pair<std::string, std::string>> vectors = {
        {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},         {"foo", "Zm9v"},
        {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"}};
    for (const auto& [plain, encoded] : vectors) {
        EXPECT_EQ(base64url_encode(plain), encoded);
        EXPECT_EQ(base64url_decode(encoded), plain);
    }
}

TEST(Base64url, UsesTheUrlAlphabet) {
    EXPECT_EQ(base64url_encode("\xfb\xff\xbf"), "-_-_");
    EXPECT_EQ(base64url_decode("-_-_"), std::string("\xfb\xff\xbf"));
}

TEST(Base64url, RefusesNonCanonicalAndForeignText) {
    for (const char* text : {"Zh", "Zm9=", "Zm+v", "Zm/v", "Z", "Zm9vY", "Zm 9v", "Zm9v\n"}) {
        EXPECT_EQ(base64url_decode(text), std::nullopt) << text;
    }
}
