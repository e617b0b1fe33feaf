// SQLite engine: migrations under BEGIN IMMEDIATE, batches in BEGIN IMMEDIATE.
#include "store/sqlite/engine.hpp"

#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

#include <string>

#include "store/sqlite/connection.hpp"

namespace tokend::store::sqlite {

std::unique_ptr<store::Connection> Engine::open_writer() {
    return std::make_unique<Connection>(m_file, Connection::Mode::Writer);
}

std::unique_ptr<store::Connection> Engine::open_reader() {
    return std::make_unique<Connection>(m_file, Connection::Mode::Reader);
}

void Engine::migrate(store::Connection& writer) {
    auto& db = static_cast<Connection&>(writer).db();
    // BEGIN IMMEDIATE serialises a server and a CLI command starting on the same data dir.
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    int version = db.execAndGet("PRAGMA user_version").getInt();
    int latest = static_cast<int>(sql::sqlite::kMigrations.size());
    check_schema_version(version, latest);
    for (int i = version; i < latest; ++i) {
        writer.exec(sql::sqlite::kMigrations[static_cast<std::size_t>(i)]);
    }
    writer.exec("PRAGMA user_version = " + std::to_string(latest));
    transaction.commit();
}

void Engine::begin(store::Connection& writer) {
    writer.exec("BEGIN IMMEDIATE");
}

void Engine::end_failed_commit(store::Connection& writer) noexcept {
    try {
        if (sqlite3_get_autocommit(static_cast<Connection&>(writer).db().getHandle()) == 0) {
            writer.exec("ROLLBACK");
        }
    } catch (...) {
        // The connection is left as SQLite left it; the next BEGIN reports what is wrong.
    }
}

} // namespace tokend::store::sqlite
