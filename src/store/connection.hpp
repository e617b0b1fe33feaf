// What a repository sees of a database: one connection, used by one thread at a time, with its
// statements prepared once and named by query (sql::token_insert). Each engine implements it in
// its own folder (store/sqlite/, store/postgres/); nothing above the store knows which one runs.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include "sql_embedded.hpp"

namespace tokend::store {

// The database cannot be reached, or a write's outcome is unknown because its connection died.
// what() holds the engine's reason, for the log; a client only ever sees a plain 503.
class Unavailable : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// One prepared statement. Parameters are bound by the `:name` they have in the SQL file.
class Statement {
public:
    virtual ~Statement() = default;
    virtual void bind(std::string_view name, std::string_view text) = 0;
    virtual void bind(std::string_view name, std::int64_t value) = 0;
    virtual void bind_blob(std::string_view name, std::span<const unsigned char> bytes) = 0;
    virtual void bind_null(std::string_view name) = 0;
    // Steps to the next row; false when there is none.
    virtual bool step() = 0;
    // Runs a statement that returns no rows; the number of rows it changed.
    virtual long long exec() = 0;
    // exec() for an INSERT/UPDATE; false (and nothing changed) when it hit a UNIQUE or PRIMARY
    // KEY constraint, so repositories can report "already exists" without exceptions.
    virtual bool exec_unless_duplicate() = 0;
    // Columns of the current row, by position in the SELECT.
    virtual bool is_null(int column) = 0;
    virtual std::string text(int column) = 0;
    virtual std::int64_t integer(int column) = 0;
    // Valid until the next step or reset.
    virtual std::span<const unsigned char> blob(int column) = 0;
    // Ends the current execution and clears the bindings.
    virtual void reset() noexcept = 0;

    void bind(std::string_view name, const std::string& text) {
        bind(name, std::string_view(text));
    }
    void bind(std::string_view name, const char* text) { bind(name, std::string_view(text)); }
    void bind(std::string_view name, int value) { bind(name, static_cast<std::int64_t>(value)); }
    void bind(std::string_view name, const std::optional<std::string>& text) {
        text ? bind(name, std::string_view(*text)) : bind_null(name);
    }
    std::optional<std::string> optional_text(int column) {
        return is_null(column) ? std::nullopt : std::optional(text(column));
    }
};

class Connection {
public:
    virtual ~Connection() = default;

    // A prepared statement, reset and unbound when the Query goes out of scope. The reset
    // matters: a statement left mid-step would keep its read snapshot open.
    class Query {
    public:
        explicit Query(Statement& statement) : m_statement(statement) {}
        Query(const Query&) = delete;
        Query& operator=(const Query&) = delete;
        ~Query() { m_statement.reset(); }
        Statement* operator->() { return &m_statement; }
        Statement& operator*() { return m_statement; }

    private:
        Statement& m_statement;
    };

    Query query(sql::Query which) { return Query(statement(which)); }
    // Runs engine-specific SQL text with no parameters (transaction control, migrations).
    virtual void exec(std::string_view sql) = 0;
    // False once the connection is known to be unusable (the database went away); the store
    // then opens a new one instead of reusing it.
    virtual bool usable() const { return true; }

protected:
    virtual Statement& statement(sql::Query which) = 0;
};

} // namespace tokend::store
