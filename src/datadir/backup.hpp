// `tokend backup` and `tokend restore` (SPEC §13): a consistent copy of a live data dir, and
// putting one back into a stopped data dir — checked first, then swapped in, never half-done.
#pragma once

#include <filesystem>

namespace tokend::datadir {

struct BackupResult {
    int schema_version = 0;
};

// Writes DIR/tokend.db (SQLite online backup, so a server may keep writing), DIR/secret.key
// (0600) and DIR/manifest.txt into a hidden sibling of `to`, fsyncs them, then renames it to
// `to` (mode 0700). `to` must not exist or be an empty directory (core::Error Conflict). On any
// failure nothing is left behind.
BackupResult backup(const std::filesystem::path& data_dir, const std::filesystem::path& to);

// Checks the backup in `from` (manifest, database digest, key fingerprint, schema version,
// PRAGMA integrity_check), then, holding the data dir's lock exclusively (so no server runs),
// stages both files in `data_dir` under temporary names, fsyncs them and renames them into
// place. A data dir that already holds tokend.db or secret.key is replaced only with `force`.
void restore(const std::filesystem::path& from, const std::filesystem::path& data_dir, bool force);

} // namespace tokend::datadir
