// Digests that let a backup prove it is whole and belongs together: BLAKE2b-256 of a file, and a
// fingerprint of secret.key that identifies the key without revealing it.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace tokend::crypto {

// Unkeyed BLAKE2b-256 of the file's bytes, lower-case hex. Throws when the file cannot be read.
std::string file_digest(const std::filesystem::path& path);

// Keyed BLAKE2b-256 (key = the secret key) of a fixed label, lower-case hex. A keyed hash is a
// PRF, so the fingerprint tells keys apart but gives nothing towards the key or any token hash.
std::string key_fingerprint(std::string_view secret_key);

} // namespace tokend::crypto
