// SQLite's side of backup and restore: a consistent copy of a live database through the online
// backup API, and the checks a copy must pass before it replaces a data dir's database.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace tokend::store::sqlite {

// The schema version (PRAGMA user_version) the migrations of this binary produce.
int latest_schema_version();

// Copies `source` (which a server may be writing to) into the new file `dest` in one read
// transaction, so the copy is one committed state: every write committed before the copy
// began is in it. The copy is a self-contained rollback-journal file (no -wal to carry along).
void copy_live_database(const std::filesystem::path& source, const std::filesystem::path& dest);

struct DatabaseCheck {
    int schema_version = 0;
    std::optional<std::string> problem; // PRAGMA integrity_check's first report, on one line
};
// Opens `file` read-only and runs PRAGMA integrity_check. Throws if it is not a database at all.
DatabaseCheck check_database(const std::filesystem::path& file);

// Folds a stopped database's -wal into the file and switches it to a rollback journal, so its
// -wal and -shm can be deleted without losing a committed write. Returns false (and changes
// nothing it could not) when the database cannot be opened or checkpointed, e.g. when corrupt.
bool settle_database(const std::filesystem::path& file) noexcept;

} // namespace tokend::store::sqlite
