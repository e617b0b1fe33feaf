// Cursor layout (before base64url): 1 version byte, 24 ASCII bytes of createdAt, 12 bytes of id,
// 16 bytes of MAC over a domain label, the scope and those 37 bytes.
#include "core/page_cursor.hpp"

#include <cstdint>
#include <stdexcept>

#include "core/base64url.hpp"
#include "core/object_id.hpp"

namespace tokend::core {

namespace {
constexpr char kVersion = 1;
constexpr std::size_t kTimestampLength = 24;
constexpr std::size_t kIdBytes = 12;
constexpr std::size_t kBodyLength = 1 + kTimestampLength + kIdBytes;
constexpr std::size_t kCursorBytes = kBodyLength + kCursorTagLength;

// "YYYY-MM-DDTHH:MM:SS.mmmZ": digits where the pattern has 'd', the rest literally.
bool is_stored_timestamp(std::string_view text) {
    constexpr std::string_view kPattern = "dddd-dd-ddTdd:dd:dd.dddZ";
    if (text.size() != kPattern.size()) {
        return false;
    }
    for (std::size_t i = 0; i < text.size(); ++i) {
        bool ok = kPattern[i] == 'd' ? (text[i] >= '0' && text[i] <= '9') : text[i] == kPattern[i];
        if (!ok) {
            return false;
        }
    }
    return true;
}

int hex_value(char c) {
    if (c >= 'a') {
        return c - 'a' + 10;
    }
    return c >= 'A' ? c - 'A' + 10 : c - '0';
}

std::string id_to_bytes(std::string_view id) {
    std::string bytes;
    for (std::size_t i = 0; i + 1 < id.size(); i += 2) {
        bytes.push_back(static_cast<char>(hex_value(id[i]) * 16 + hex_value(id[i + 1])));
    }
    return bytes;
}

std::string bytes_to_id(std::string_view bytes) {
    constexpr std::string_view kHex = "0123456789abcdef";
    std::string id;
    for (unsigned char byte : bytes) {
        id.push_back(kHex[byte >> 4]);
        id.push_back(kHex[byte & 0xf]);
    }
    return id;
}

// The scope's parts are ids and filter names: none holds a NUL, so the message is unambiguous.
std::string tag(std::string_view body, const CursorScope& scope, const CursorMac& mac) {
    std::string message = "tokend page cursor";
    message += '\0';
    message += scope.account_id;
    message += '\0';
    message += scope.filter;
    message += '\0';
    message += body;
    std::string full = mac(message);
    return full.substr(0, kCursorTagLength);
}

// Equal-time comparison: a MAC checked byte by byte with an early exit would leak, over many
// requests, how much of a forged tag is right.
bool same_tag(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    }
    return diff == 0;
}
} // namespace

std::string encode_cursor(const PageKey& key, const CursorScope& scope, const CursorMac& mac) {
    if (!is_stored_timestamp(key.created_at) || !is_object_id(key.id)) {
        throw std::invalid_argument("page key is not a stored (createdAt, id) pair");
    }
    std::string body(1, kVersion);
    body += key.created_at;
    body += id_to_bytes(key.id);
    return base64url_encode(body + tag(body, scope, mac));
}

std::optional<PageKey> decode_cursor(std::string_view text, const CursorScope& scope,
                                     const CursorMac& mac) {
    // Checked before decoding so a huge parameter costs nothing.
    if (text.size() != (kCursorBytes * 4 + 2) / 3) {
        return std::nullopt;
    }
    auto bytes = base64url_decode(text);
    if (!bytes || bytes->size() != kCursorBytes || (*bytes)[0] != kVersion) {
        return std::nullopt;
    }
    std::string_view view = *bytes;
    std::string_view body = view.substr(0, kBodyLength);
    if (!same_tag(view.substr(kBodyLength), tag(body, scope, mac))) {
        return std::nullopt;
    }
    PageKey key{std::string(body.substr(1, kTimestampLength)),
                bytes_to_id(body.substr(1 + kTimestampLength))};
    // Only this server can produce a valid tag, so these hold unless the key leaked; checked
    // anyway because the values go on into a query.
    if (!is_stored_timestamp(key.created_at) || !is_object_id(key.id)) {
        return std::nullopt;
    }
    return key;
}

} // namespace tokend::core
