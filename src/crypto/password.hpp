// Argon2id password hashing (libsodium crypto_pwhash_str, "interactive" limits or stronger).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tokend::crypto {

std::string hash_password(std::string_view password);
// With no stored hash (unknown email, or no password set) a dummy hash is verified instead, so
// the time taken does not reveal whether the account exists. Returns false in that case.
bool verify_password(const std::optional<std::string>& stored_hash, std::string_view password);

} // namespace tokend::crypto
