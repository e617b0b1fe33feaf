// One SQLite connection with its prepared statements cached, used by one thread at a time.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <filesystem>
#include <memory>
#include <string_view>
#include <unordered_map>

namespace tokend::store {

class Connection {
public:
    enum class Mode { Reader, Writer };
    Connection(const std::filesystem::path& file, Mode mode);

    // A cached statement, reset and unbound when the Query goes out of scope. The reset matters:
    // a statement left mid-step keeps its read transaction and would pin an old WAL snapshot.
    class Query {
    public:
        explicit Query(SQLite::Statement& statement) : m_statement(statement) {}
        Query(const Query&) = delete;
        Query& operator=(const Query&) = delete;
        ~Query() {
            // tryReset, not reset: after a failed step (e.g. a UNIQUE violation the caller caught)
            // sqlite3_reset repeats the error, and reset() would throw out of this destructor.
            m_statement.tryReset();
            m_statement.clearBindings();
        }
        SQLite::Statement* operator->() { return &m_statement; }
        SQLite::Statement& operator*() { return m_statement; }

    private:
        SQLite::Statement& m_statement;
    };

    // `sql` must be one of the embedded statements in sql_embedded.hpp (NUL-terminated, static).
    Query query(std::string_view sql);
    void exec(std::string_view sql) { m_db.exec(std::string(sql)); }
    SQLite::Database& db() { return m_db; }

private:
    SQLite::Database m_db;
    std::unordered_map<const char*, std::unique_ptr<SQLite::Statement>> m_statements;
};

} // namespace tokend::store
