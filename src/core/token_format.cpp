// Token construction, checksum and display key.
#include "core/token_format.hpp"

#include <array>

namespace tokend::core {

namespace {
constexpr std::string_view kBase62 =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

constexpr std::array<std::uint32_t, 256> make_crc_table() {
    std::array<std::uint32_t, 256> table{};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t c = i;
        for (int k = 0; k < 8; ++k) {
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        }
        table[i] = c;
    }
    return table;
}
constexpr auto kCrcTable = make_crc_table();

bool is_base62(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
} // namespace

std::uint32_t crc32(std::string_view data) {
    std::uint32_t c = 0xFFFFFFFFu;
    for (char ch : data) {
        c = kCrcTable[(c ^ static_cast<std::uint8_t>(ch)) & 0xFF] ^ (c >> 8);
    }
    return c ^ 0xFFFFFFFFu;
}

std::string base62_checksum(std::uint32_t value) {
    std::string out(kTokenChecksumLength, '0');
    for (std::size_t i = kTokenChecksumLength; i-- > 0;) {
        out[i] = kBase62[value % 62];
        value /= 62;
    }
    return out;
}

std::string token_from_random(std::string_view random_bytes) {
    std::string token(kTokenPrefix);
    for (char byte : random_bytes) {
        auto b = static_cast<std::uint8_t>(byte);
        if (b >= 248) { // 248 = 4 * 62: rejecting the rest keeps every character equally likely
            continue;
        }
        token.push_back(kBase62[b % 62]);
        if (token.size() == kTokenPrefix.size() + kTokenRandomLength) {
            token += base62_checksum(crc32(std::string_view(token).substr(kTokenPrefix.size())));
            return token;
        }
    }
    return {};
}

bool is_well_formed_token(std::string_view token) {
    if (token.size() != kTokenLength || token.substr(0, kTokenPrefix.size()) != kTokenPrefix) {
        return false;
    }
    std::string_view body = token.substr(kTokenPrefix.size());
    for (char c : body) {
        if (!is_base62(c)) {
            return false;
        }
    }
    std::string_view random = body.substr(0, kTokenRandomLength);
    std::string_view checksum = body.substr(kTokenRandomLength);
    return base62_checksum(crc32(random)) == checksum;
}

std::string display_key(std::string_view token) {
    std::string key(kTokenPrefix);
    key += token.substr(kTokenPrefix.size(), 3);
    key += "...";
    key += token.substr(token.size() - 4);
    return key;
}

} // namespace tokend::core
