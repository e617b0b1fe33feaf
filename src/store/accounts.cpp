// Accounts table.
#include "store/accounts.hpp"

#include "sql_embedded.hpp"
#include "store/row.hpp"

namespace tokend::store::accounts {

namespace {
core::Account read_account(SQLite::Statement& s) {
    return core::Account{s.getColumn(0).getString(), s.getColumn(1).getString(),
                         optional_text(s.getColumn(2)), optional_text(s.getColumn(3)),
                         s.getColumn(4).getString()};
}

std::optional<core::Account> one(Connection::Query& q) {
    if (!q->executeStep()) {
        return std::nullopt;
    }
    return read_account(*q);
}
} // namespace

bool insert(Connection& c, const core::Account& account) {
    auto q = c.query(sql::account_insert);
    q->bind(":id", account.id);
    q->bind(":email", account.email);
    bind_optional(*q, ":name", account.name);
    bind_optional(*q, ":password_hash", account.password_hash);
    q->bind(":created_at", account.created_at);
    return exec_unless_duplicate(q);
}

std::optional<core::Account> by_id(Connection& c, const std::string& id) {
    auto q = c.query(sql::account_by_id);
    q->bind(":id", id);
    return one(q);
}

std::optional<core::Account> by_email(Connection& c, const std::string& email) {
    auto q = c.query(sql::account_by_email);
    q->bind(":email", email);
    return one(q);
}

long long count(Connection& c) {
    auto q = c.query(sql::account_count);
    q->executeStep();
    return q->getColumn(0).getInt64();
}

void set_password_hash(Connection& c, const std::string& id, const std::string& hash) {
    auto q = c.query(sql::account_set_password);
    q->bind(":id", id);
    q->bind(":password_hash", hash);
    q->exec();
}

} // namespace tokend::store::accounts
