// Connection setup: pragmas for WAL, durability and lock waits.
#include "store/connection.hpp"

namespace tokend::store {

namespace {
int open_flags(Connection::Mode mode) {
    return mode == Connection::Mode::Writer
               ? SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_FULLMUTEX
               : SQLite::OPEN_READONLY | SQLite::OPEN_FULLMUTEX;
}
} // namespace

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

Connection::Query Connection::query(std::string_view sql) {
    auto& slot = m_statements[sql.data()];
    if (!slot) {
        slot = std::make_unique<SQLite::Statement>(m_db, sql.data());
    }
    return Query(*slot);
}

} // namespace tokend::store
