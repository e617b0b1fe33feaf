// Keyed BLAKE2b-256 of whole tokens (and session secrets) with the data dir's secret.key.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace tokend::crypto {

inline constexpr std::size_t kSecretKeyLength = 32;
using Digest = std::array<std::uint8_t, 32>;

// Reads DIR/secret.key, creating it (32 random bytes, mode 0600) if absent. Two processes
// starting at once agree on one key: creation is exclusive and the loser reads the winner's.
std::string load_or_create_secret_key(const std::filesystem::path& path);
// Reads an existing key file; throws unless it holds exactly kSecretKeyLength bytes.
std::string read_secret_key(const std::filesystem::path& path);

// Constant-time comparison of two secrets (setup codes).
bool same_secret(std::string_view a, std::string_view b);

class TokenHasher {
public:
    explicit TokenHasher(std::string key); // kSecretKeyLength bytes
    Digest hash(std::string_view token) const;

private:
    std::string m_key;
};

} // namespace tokend::crypto
