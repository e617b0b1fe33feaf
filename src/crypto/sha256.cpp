// libsodium's crypto_hash_sha256 and its base64 encoder.
#include "crypto/sha256.hpp"

#include <sodium.h>

#include <array>

namespace tokend::crypto {

std::string sha256_base64(std::string_view text) {
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(text.data()),
                       text.size());
    constexpr int kVariant = sodium_base64_VARIANT_ORIGINAL;
    std::string out(sodium_base64_ENCODED_LEN(digest.size(), kVariant), '\0');
    sodium_bin2base64(out.data(), out.size(), digest.data(), digest.size(), kVariant);
    out.resize(out.find('\0'));
    return out;
}

} // namespace tokend::crypto
