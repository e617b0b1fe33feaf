// libpq sessions and prepared statements.
#include "store/postgres/connection.hpp"

#include <charconv>
#include <cstring>

namespace tokend::store::postgres {

namespace {
// SQLSTATE classes that mean "try again later" rather than "this statement is wrong":
// connection exceptions, operator intervention (shutdown, terminated session), insufficient
// resources, and a serialization failure or deadlock that cost this transaction its life.
bool means_unavailable(std::string_view sqlstate) {
    return sqlstate.starts_with("08") || sqlstate.starts_with("57P") ||
           sqlstate.starts_with("53") || sqlstate == "40001" || sqlstate == "40P01";
}

std::string one_line(const char* message) {
    std::string line = message ? message : "";
    while (!line.empty() && (line.back() == '\n' || line.back() == ' ')) {
        line.pop_back();
    }
    for (char& c : line) {
        c = c == '\n' ? ' ' : c;
    }
    return line;
}

// libpq's complaint about a URL or conninfo string it cannot read quotes the offending piece
// ("invalid percent-encoded token: "p%zz…"", or the whole URL), which may be the password, and a
// password may itself hold quotes. So only libpq's own words before the first quote are kept,
// and its two messages that quote punctuation first are reworded.
std::string without_input(const std::string& message) {
    if (message.starts_with("missing \"=\" after ")) {
        return "a word without \"=\" in the connection string";
    }
    if (message.find("matching \"]\" in IPv6") != std::string::npos) {
        return "an IPv6 host address without its closing \"]\"";
    }
    std::string words = message.substr(0, message.find('"'));
    while (!words.empty() && (words.back() == ' ' || words.back() == ':')) {
        words.pop_back();
    }
    return words;
}

// `url` for PQconnectdb; throws Unavailable, with a reason that quotes none of it, when libpq
// cannot read it.
const char* readable(const std::string& url) {
    char* error = nullptr;
    PQconninfoOption* options = libpq().conninfo_parse(url.c_str(), &error);
    if (options != nullptr) {
        libpq().conninfo_free(options);
        return url.c_str();
    }
    std::string reason = error ? without_input(one_line(error)) : "out of memory";
    libpq().freemem(error);
    throw Unavailable("cannot connect to PostgreSQL: the --database URL is malformed (" + reason +
                      ")");
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}
} // namespace

Connection::Connection(const std::string& url) : m_conn(libpq().connectdb(readable(url))) {
    if (libpq().status(m_conn) != CONNECTION_OK) {
        std::string reason = one_line(libpq().error_message(m_conn));
        libpq().finish(m_conn);
        throw Unavailable("cannot connect to PostgreSQL: " + reason);
    }
    // NOTICEs (e.g. "relation already exists, skipping") are not for the server's log.
    libpq().set_notice_processor(
        m_conn, [](void*, const char*) {}, nullptr);
}

Connection::~Connection() {
    for (auto& statement : m_statements) {
        statement.reset();
    }
    libpq().finish(m_conn);
}

void Connection::check(PGresult* result, std::string_view what) {
    ExecStatusType status = result ? libpq().result_status(result) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
        return;
    }
    const char* state = result ? libpq().result_error_field(result, PG_DIAG_SQLSTATE) : nullptr;
    std::string sqlstate = state ? state : "";
    std::string message =
        one_line(result ? libpq().result_error_message(result) : libpq().error_message(m_conn));
    libpq().clear(result);
    if (!usable() || sqlstate.empty() || means_unavailable(sqlstate)) {
        throw Unavailable("PostgreSQL: " + std::string(what) + ": " + message);
    }
    throw StatementError("PostgreSQL: " + std::string(what) + ": " + message, sqlstate);
}

void Connection::exec(std::string_view sql) {
    PGresult* result = libpq().exec(m_conn, std::string(sql).c_str());
    check(result, "statement failed");
    libpq().clear(result);
}

store::Statement& Connection::statement(sql::Query which) {
    auto& slot = m_statements[which.index];
    if (!slot) {
        slot =
            std::make_unique<Statement>(*this, "q" + std::to_string(which.index),
                                        number_placeholders(sql::postgres::kQueries[which.index]));
    }
    return *slot;
}

Statement::Statement(Connection& connection, std::string name, NumberedSql sql)
    : m_connection(connection), m_name(std::move(name)), m_sql(std::move(sql)),
      m_parameters(m_sql.names.size()) {}

Statement::~Statement() {
    libpq().clear(m_result);
}

Statement::Parameter& Statement::parameter(std::string_view name) {
    for (std::size_t i = 0; i < m_sql.names.size(); ++i) {
        if (m_sql.names[i] == name) {
            return m_parameters[i];
        }
    }
    throw std::logic_error("no parameter " + std::string(name) + " in " + m_name);
}

void Statement::bind(std::string_view name, std::string_view text) {
    auto& p = parameter(name);
    p.value.assign(text);
    p.is_null = false;
    p.binary = false;
}

void Statement::bind(std::string_view name, std::int64_t value) {
    bind(name, std::string_view(std::to_string(value)));
}

void Statement::bind_blob(std::string_view name, std::span<const unsigned char> bytes) {
    auto& p = parameter(name);
    p.value.assign(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    p.is_null = false;
    p.binary = true;
}

void Statement::bind_null(std::string_view name) {
    auto& p = parameter(name);
    p.value.clear();
    p.is_null = true;
    p.binary = false;
}

void Statement::run() {
    PGconn* conn = m_connection.native();
    if (!m_prepared) {
        PGresult* prepared = libpq().prepare(conn, m_name.c_str(), m_sql.sql.c_str(), 0, nullptr);
        m_connection.check(prepared, "prepare " + m_name);
        libpq().clear(prepared);
        m_prepared = true;
    }
    std::size_t n = m_parameters.size();
    std::vector<const char*> values(n);
    std::vector<int> lengths(n);
    std::vector<int> formats(n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto& p = m_parameters[i];
        values[i] = p.is_null ? nullptr : p.value.c_str();
        lengths[i] = static_cast<int>(p.value.size());
        formats[i] = p.binary ? 1 : 0;
    }
    libpq().clear(m_result);
    m_result = nullptr;
    PGresult* result = libpq().exec_prepared(conn, m_name.c_str(), static_cast<int>(n),
                                             values.data(), lengths.data(), formats.data(), 0);
    m_connection.check(result, m_name);
    m_result = result;
    m_row = -1;
}

bool Statement::step() {
    if (!m_result) {
        run();
    }
    return ++m_row < libpq().ntuples(m_result);
}

long long Statement::exec() {
    run();
    const char* changed = libpq().cmd_tuples(m_result);
    long long rows = 0;
    std::from_chars(changed, changed + std::strlen(changed), rows);
    return rows;
}

bool Statement::exec_unless_duplicate() {
    // A failed statement aborts the whole transaction in PostgreSQL (not only the statement, as
    // in SQLite), so the attempt gets a savepoint of its own to roll back to.
    m_connection.exec("SAVEPOINT unless_duplicate");
    try {
        exec();
    } catch (const StatementError& error) {
        if (error.sqlstate() != "23505") {
            throw;
        }
        m_connection.exec("ROLLBACK TO SAVEPOINT unless_duplicate");
        m_connection.exec("RELEASE SAVEPOINT unless_duplicate");
        return false;
    }
    m_connection.exec("RELEASE SAVEPOINT unless_duplicate");
    return true;
}

bool Statement::is_null(int column) {
    return libpq().getisnull(m_result, m_row, column) != 0;
}

std::string Statement::text(int column) {
    return std::string(libpq().getvalue(m_result, m_row, column),
                       static_cast<std::size_t>(libpq().getlength(m_result, m_row, column)));
}

std::int64_t Statement::integer(int column) {
    const char* value = libpq().getvalue(m_result, m_row, column);
    std::int64_t number = 0;
    std::from_chars(value, value + libpq().getlength(m_result, m_row, column), number);
    return number;
}

std::span<const unsigned char> Statement::blob(int column) {
    // bytea in text results is "\x" followed by two hex digits per byte.
    const char* value = libpq().getvalue(m_result, m_row, column);
    auto length = static_cast<std::size_t>(libpq().getlength(m_result, m_row, column));
    m_blob.clear();
    if (length >= 2 && value[0] == '\\' && value[1] == 'x') {
        for (std::size_t i = 2; i + 1 < length; i += 2) {
            int high = hex_value(value[i]);
            int low = hex_value(value[i + 1]);
            if (high < 0 || low < 0) {
                m_blob.clear();
                break;
            }
            m_blob.push_back(static_cast<unsigned char>(high * 16 + low));
        }
    }
    return m_blob;
}

void Statement::reset() noexcept {
    libpq().clear(m_result);
    m_result = nullptr;
    m_row = -1;
    for (auto& p : m_parameters) {
        p = Parameter{};
    }
}

} // namespace tokend::store::postgres
