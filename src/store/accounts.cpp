// Accounts table.
#include "store/accounts.hpp"

#include "sql_embedded.hpp"

namespace tokend::store::accounts {

namespace {
core::Account read_account(Statement& s) {
    return core::Account{s.text(0), s.text(1), s.optional_text(2), s.optional_text(3), s.text(4)};
}

std::optional<core::Account> one(Connection::Query& q) {
    if (!q->step()) {
        return std::nullopt;
    }
    return read_account(*q);
}
} // namespace

bool insert(Connection& c, const core::Account& account) {
    auto q = c.query(sql::account_insert);
    q->bind(":id", account.id);
    q->bind(":email", account.email);
    q->bind(":name", account.name);
    q->bind(":password_hash", account.password_hash);
    q->bind(":created_at", account.created_at);
    return q->exec_unless_duplicate();
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
    q->step();
    return q->integer(0);
}

void lock(Connection& c, const std::string& id) {
    auto q = c.query(sql::account_lock);
    q->bind(":account_id", id);
    q->step();
}

void lock_for_setup(Connection& c) {
    auto q = c.query(sql::setup_lock);
    q->step();
}

void set_password_hash(Connection& c, const std::string& id, const std::string& hash) {
    auto q = c.query(sql::account_set_password);
    q->bind(":id", id);
    q->bind(":password_hash", hash);
    q->exec();
}

} // namespace tokend::store::accounts
