// CSPRNG output (libsodium's randombytes) in the shapes tokend needs.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace tokend::crypto {

void init(); // sodium_init; safe to call more than once
std::string random_bytes(std::size_t count);
std::uint32_t random_u32();
std::array<std::uint8_t, 5> random_5_bytes();
std::string new_token(); // a fresh "dft_…" token, SPEC §3
// A fresh opaque secret (session cookie, setup code) as `length` base62 characters.
std::string random_base62(std::size_t length);

} // namespace tokend::crypto
