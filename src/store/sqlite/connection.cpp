// SQLite connections: pragmas for WAL, durability and lock waits; statements by query name.
#include "store/sqlite/connection.hpp"

#include <SQLiteCpp/Exception.h>
#include <sqlite3.h>

#include <string>

namespace tokend::store::sqlite {

namespace {
// NOMUTEX: a connection is only ever used by one thread at a time (the writer thread, or the
// reader that leased it), so SQLite's per-call connection mutex buys nothing.
int open_flags(Connection::Mode mode) {
    // SQLite counts every allocation under one process-wide mutex unless told not to before
    // it first initialises; tokend never reads those counts.
    static const int memstatus_off = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    (void)memstatus_off;
    return mode == Connection::Mode::Writer
               ? SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX
               : SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX;
}
} // namespace

int Statement::index(std::string_view name) const {
    return m_statement.getIndex(std::string(name).c_str());
}

void Statement::bind(std::string_view name, std::string_view text) {
    m_statement.bind(index(name), std::string(text));
}

void Statement::bind(std::string_view name, std::int64_t value) {
    m_statement.bind(index(name), value);
}

void Statement::bind_blob(std::string_view name, std::span<const unsigned char> bytes) {
    m_statement.bind(index(name), bytes.data(), static_cast<int>(bytes.size()));
}

void Statement::bind_null(std::string_view name) {
    m_statement.bind(index(name));
}

bool Statement::exec_unless_duplicate() {
    try {
        m_statement.exec();
    } catch (const SQLite::Exception& error) {
        int code = error.getExtendedErrorCode();
        if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
            return false;
        }
        throw;
    }
    return true;
}

std::span<const unsigned char> Statement::blob(int column) {
    auto value = m_statement.getColumn(column);
    return {static_cast<const unsigned char*>(value.getBlob()),
            static_cast<std::size_t>(value.getBytes())};
}

void Statement::reset() noexcept {
    // tryReset, not reset: after a failed step (e.g. a UNIQUE violation the caller caught)
    // sqlite3_reset repeats the error, and reset() would throw.
    m_statement.tryReset();
    m_statement.clearBindings();
}

Connection::Connection(const std::filesystem::path& file, Mode mode)
    : m_db(file.string(), open_flags(mode), 10'000) {
    // Writers (the server's, and the CLI's while a server runs) wait for each other instead of
    // failing; synchronous=FULL makes every commit durable across power loss in WAL mode.
    if (mode == Mode::Writer) {
        m_db.exec("PRAGMA journal_mode = WAL");
        m_db.exec("PRAGMA synchronous = FULL");
    }
    m_db.exec("PRAGMA foreign_keys = ON");
}

store::Statement& Connection::statement(sql::Query which) {
    auto& slot = m_statements[which.index];
    if (!slot) {
        slot = std::make_unique<Statement>(m_db, sql::sqlite::kQueries[which.index]);
    }
    return *slot;
}

} // namespace tokend::store::sqlite
