// The token format of SPEC §3: "dft_" + 30 random base62 + 6 base62 of the CRC-32 of those 30.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tokend::core {

inline constexpr std::string_view kTokenPrefix = "dft_";
inline constexpr std::size_t kTokenRandomLength = 30;
inline constexpr std::size_t kTokenChecksumLength = 6;
inline constexpr std::size_t kTokenLength = 40;

std::uint32_t crc32(std::string_view data);       // as zlib computes it
std::string base62_checksum(std::uint32_t value); // 6 chars, most significant first

// `random_bytes` must hold at least kTokenRandomLength bytes of CSPRNG output; each picks one
// base62 character by rejection sampling, so more bytes may be needed: returns empty if they ran
// out.
std::string token_from_random(std::string_view random_bytes);

// Shape and checksum only; no database work. Cheap enough to run before every lookup.
bool is_well_formed_token(std::string_view token);

// "dft_" + first 3 chars after the prefix + "..." + last 4 chars.
std::string display_key(std::string_view token);

} // namespace tokend::core
