// Online backup (sqlite3_backup through SQLiteCpp), integrity checks and checkpoints.
#include "store/sqlite/backup.hpp"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "sql_embedded.hpp"

namespace tokend::store::sqlite {

namespace {
constexpr int kBusyTimeoutMs = 10'000;
constexpr std::size_t kMaxProblemLength = 200;

// integrity_check reports several lines under a "*** in database main ***" heading; callers
// print one line, so the heading goes and the rest is joined and shortened.
std::string one_line(std::string report) {
    constexpr std::string_view kHeading = "*** in database main ***\n";
    if (report.starts_with(kHeading)) {
        report.erase(0, kHeading.size());
    }
    std::string line;
    for (char c : report) {
        if (c == '\n') {
            line += "; ";
        } else if (c != '\r') {
            line.push_back(c);
        }
    }
    if (line.size() > kMaxProblemLength) {
        line.resize(kMaxProblemLength);
        line += "...";
    }
    return line;
}
} // namespace

int latest_schema_version() {
    return static_cast<int>(sql::sqlite::kMigrations.size());
}

void copy_live_database(const std::filesystem::path& source, const std::filesystem::path& dest) {
    {
        // Read-write (never create) so SQLite may set up the -shm of a WAL database that no
        // server has open; nothing is written to the source.
        SQLite::Database from(source.string(), SQLite::OPEN_READWRITE, kBusyTimeoutMs);
        SQLite::Database to(dest.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE,
                            kBusyTimeoutMs);
        SQLite::Backup backup(to, from);
        // All pages in one step: one read transaction on the source, so one consistent snapshot
        // that the server's commits do not disturb. Copied in chunks, the backup would restart
        // after every commit in between and might never finish under load.
        backup.executeStep(-1);
    }
    // The copied header still says WAL; reopened, the file is switched to a rollback journal so
    // the copy is one self-contained file.
    SQLite::Database copy(dest.string(), SQLite::OPEN_READWRITE, kBusyTimeoutMs);
    SQLite::Statement(copy, sql::sqlite::journal_mode_delete.data()).executeStep();
}

DatabaseCheck check_database(const std::filesystem::path& file) {
    SQLite::Database db(file.string(), SQLite::OPEN_READONLY, kBusyTimeoutMs);
    DatabaseCheck check;
    SQLite::Statement version(db, sql::sqlite::kQueries[sql::schema_version.index].data());
    version.executeStep();
    check.schema_version = version.getColumn(0).getInt();
    SQLite::Statement integrity(db, sql::sqlite::integrity_check.data());
    if (integrity.executeStep()) {
        std::string first = integrity.getColumn(0).getString();
        if (first != "ok") {
            check.problem = one_line(first);
        }
    }
    return check;
}

bool settle_database(const std::filesystem::path& file) noexcept {
    try {
        SQLite::Database db(file.string(), SQLite::OPEN_READWRITE, kBusyTimeoutMs);
        SQLite::Statement(db, sql::sqlite::wal_checkpoint_truncate.data()).executeStep();
        SQLite::Statement(db, sql::sqlite::journal_mode_delete.data()).executeStep();
        return true;
    } catch (...) {
        return false;
    }
}

} // namespace tokend::store::sqlite
