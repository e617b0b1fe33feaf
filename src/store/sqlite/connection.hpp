// The SQLite engine's connection (SQLiteCpp): a store::Connection over one database file, its
// statements prepared once per connection, on first use.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <array>
#include <filesystem>
#include <memory>

#include "store/connection.hpp"

namespace tokend::store::sqlite {

class Statement final : public store::Statement {
public:
    Statement(SQLite::Database& db, std::string_view sql) : m_statement(db, std::string(sql)) {}
    void bind(std::string_view name, std::string_view text) override;
    void bind(std::string_view name, std::int64_t value) override;
    void bind_blob(std::string_view name, std::span<const unsigned char> bytes) override;
    void bind_null(std::string_view name) override;
    bool step() override { return m_statement.executeStep(); }
    long long exec() override { return m_statement.exec(); }
    bool exec_unless_duplicate() override;
    bool is_null(int column) override { return m_statement.isColumnNull(column); }
    std::string text(int column) override { return m_statement.getColumn(column).getString(); }
    std::int64_t integer(int column) override { return m_statement.getColumn(column).getInt64(); }
    std::span<const unsigned char> blob(int column) override;
    void reset() noexcept override;

    SQLite::Statement& native() { return m_statement; }

private:
    int index(std::string_view name) const;
    SQLite::Statement m_statement;
};

class Connection final : public store::Connection {
public:
    enum class Mode { Reader, Writer };
    Connection(const std::filesystem::path& file, Mode mode);

    void exec(std::string_view sql) override { m_db.exec(std::string(sql)); }
    SQLite::Database& db() { return m_db; }

protected:
    store::Statement& statement(sql::Query which) override;

private:
    SQLite::Database m_db;
    std::array<std::unique_ptr<Statement>, sql::kQueryCount> m_statements;
};

} // namespace tokend::store::sqlite
