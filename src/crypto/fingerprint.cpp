// File digests and key fingerprints (libsodium's crypto_generichash, streamed for files).
#include "crypto/fingerprint.hpp"

#include <sodium.h>

#include <array>
#include <fstream>
#include <stdexcept>

#include "crypto/token_hasher.hpp"

namespace tokend::crypto {

namespace {
// Distinct from every message the token hasher sees ("dft_…" tokens, "session:…" secrets).
constexpr std::string_view kFingerprintLabel = "tokend secret.key fingerprint v1";

std::string to_hex(const Digest& digest) {
    std::string hex(digest.size() * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
    hex.pop_back();
    return hex;
}
} // namespace

std::string file_digest(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read " + path.string());
    }
    crypto_generichash_state state;
    crypto_generichash_init(&state, nullptr, 0, sizeof(Digest));
    std::array<char, 64 * 1024> buffer{};
    while (in) {
        in.read(buffer.data(), buffer.size());
        auto got = static_cast<unsigned long long>(in.gcount());
        crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(buffer.data()),
                                  got);
    }
    if (in.bad()) {
        throw std::runtime_error("cannot read " + path.string());
    }
    Digest out{};
    crypto_generichash_final(&state, out.data(), out.size());
    return to_hex(out);
}

std::string key_fingerprint(std::string_view secret_key) {
    return to_hex(TokenHasher(std::string(secret_key)).hash(kFingerprintLabel));
}

} // namespace tokend::crypto
