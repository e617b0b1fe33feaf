// The PostgreSQL engine's connection (libpq): a store::Connection over one session to the
// primary, its statements prepared on the server once per session, on first use. Parameters go
// as text (bytea as binary); results come back as text.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "store/connection.hpp"
#include "store/postgres/libpq.hpp"
#include "store/postgres/placeholders.hpp"

namespace tokend::store::postgres {

class Connection;

class Statement final : public store::Statement {
public:
    Statement(Connection& connection, std::string name, NumberedSql sql);
    ~Statement() override;
    void bind(std::string_view name, std::string_view text) override;
    void bind(std::string_view name, std::int64_t value) override;
    void bind_blob(std::string_view name, std::span<const unsigned char> bytes) override;
    void bind_null(std::string_view name) override;
    bool step() override;
    long long exec() override;
    bool exec_unless_duplicate() override;
    bool is_null(int column) override;
    std::string text(int column) override;
    std::int64_t integer(int column) override;
    std::span<const unsigned char> blob(int column) override;
    void reset() noexcept override;

private:
    struct Parameter {
        std::string value;
        bool is_null = true;
        bool binary = false;
    };
    Parameter& parameter(std::string_view name);
    void run();

    Connection& m_connection;
    std::string m_name;
    NumberedSql m_sql;
    bool m_prepared = false;
    std::vector<Parameter> m_parameters;
    PGresult* m_result = nullptr;
    int m_row = -1;
    std::vector<unsigned char> m_blob;
};

class Connection final : public store::Connection {
public:
    // Connects to `url` as given (throws Unavailable, with libpq's reason, when it cannot).
    explicit Connection(const std::string& url);
    ~Connection() override;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    void exec(std::string_view sql) override;
    bool usable() const override { return libpq().status(m_conn) == CONNECTION_OK; }
    bool in_transaction() const { return libpq().transaction_status(m_conn) != PQTRANS_IDLE; }

    PGconn* native() { return m_conn; }
    // Throws for a result that is not a success, freeing it first: Unavailable when the session
    // is lost (the server went away, was shut down or killed it), StatementError otherwise.
    void check(PGresult* result, std::string_view what);

protected:
    store::Statement& statement(sql::Query which) override;

private:
    PGconn* m_conn;
    std::array<std::unique_ptr<Statement>, sql::kQueryCount> m_statements;
};

// Thrown for a statement PostgreSQL refused; sqlstate is the five-character SQLSTATE.
class StatementError : public std::runtime_error {
public:
    StatementError(const std::string& message, std::string sqlstate)
        : std::runtime_error(message), m_sqlstate(std::move(sqlstate)) {}
    const std::string& sqlstate() const { return m_sqlstate; }

private:
    std::string m_sqlstate;
};

} // namespace tokend::store::postgres
