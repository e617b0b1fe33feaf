// Randomness from libsodium.
#include "crypto/random.hpp"

#include <sodium.h>
#include <stdexcept>

#include "core/token_format.hpp"

namespace tokend::crypto {

void init() {
    if (sodium_init() < 0) {
        throw std::runtime_error("libsodium could not be initialised");
    }
}

std::string random_bytes(std::size_t count) {
    std::string bytes(count, '\0');
    randombytes_buf(bytes.data(), bytes.size());
    return bytes;
}

std::uint32_t random_u32() {
    return randombytes_random();
}

std::array<std::uint8_t, 5> random_5_bytes() {
    std::array<std::uint8_t, 5> bytes{};
    randombytes_buf(bytes.data(), bytes.size());
    return bytes;
}

std::string new_token() {
    // 48 bytes leave ample room for the rejection sampling in token_from_random (each byte is
    // kept with probability 248/256); loop on the astronomically rare shortfall.
    for (;;) {
        std::string token = core::token_from_random(random_bytes(48));
        if (!token.empty()) {
            return token;
        }
    }
}

std::string random_base62(std::size_t length) {
    static constexpr char kAlphabet[] =
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    std::string out;
    out.reserve(length);
    while (out.size() < length) {
        out.push_back(kAlphabet[randombytes_uniform(62)]);
    }
    return out;
}

} // namespace tokend::crypto
