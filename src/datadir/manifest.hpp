// manifest.txt of a backup: what a restore checks before it touches the data dir. One
// `name=value` per line, so it reads in a terminal and parses without a JSON library.
#pragma once

#include <string>
#include <string_view>

namespace tokend::datadir {

struct Manifest {
    std::string tokend_version;  // the binary that made the backup
    int schema_version = 0;      // PRAGMA user_version of the copied database
    std::string created_at;      // UTC ISO-8601
    std::string database_digest; // BLAKE2b-256 of tokend.db, hex
    std::string key_fingerprint; // crypto::key_fingerprint of secret.key, hex
};

std::string render_manifest(const Manifest& manifest);
// Throws core::Error(InvalidInput) naming the first missing or malformed line.
Manifest parse_manifest(std::string_view text);

} // namespace tokend::datadir
