// Access tokens table.
#include "store/tokens.hpp"

#include "sql_embedded.hpp"
#include "store/row.hpp"

namespace tokend::store::tokens {

namespace {
// Column order of every token SELECT in sql/queries/token_*.sql.
core::AccessToken read_token(SQLite::Statement& s) {
    core::AccessToken token;
    token.id = s.getColumn(0).getString();
    token.account_id = s.getColumn(1).getString();
    token.name = optional_text(s.getColumn(2));
    token.display_key = s.getColumn(3).getString();
    token.scope.permissions = core::split_permissions(s.getColumn(4).getText());
    token.scope.website_ids = core::split_list(s.getColumn(5).getText());
    token.created_at = s.getColumn(6).getString();
    token.last_used_at = optional_text(s.getColumn(7));
    token.revoked_at = optional_text(s.getColumn(8));
    return token;
}

std::optional<core::AccessToken> one(Connection::Query& q) {
    if (!q->executeStep()) {
        return std::nullopt;
    }
    return read_token(*q);
}
} // namespace

void insert(Connection& c, const core::AccessToken& token, const crypto::Digest& hash) {
    auto q = c.query(sql::token_insert);
    q->bind(":id", token.id);
    q->bind(":account_id", token.account_id);
    bind_optional(*q, ":name", token.name);
    q->bind(":display_key", token.display_key);
    q->bind(":hash", hash.data(), static_cast<int>(hash.size()));
    q->bind(":permissions", core::join_permissions(token.scope.permissions));
    q->bind(":website_ids", core::join_list(token.scope.website_ids));
    q->bind(":created_at", token.created_at);
    q->exec();
}

std::optional<core::AccessToken> by_hash(Connection& c, const crypto::Digest& hash) {
    auto q = c.query(sql::token_by_hash);
    q->bind(":hash", hash.data(), static_cast<int>(hash.size()));
    return one(q);
}

std::optional<core::AccessToken> by_id(Connection& c, const std::string& id) {
    auto q = c.query(sql::token_by_id);
    q->bind(":id", id);
    return one(q);
}

std::vector<core::AccessToken> live_of_account(Connection& c, const std::string& account_id) {
    auto q = c.query(sql::token_live_by_account);
    q->bind(":account_id", account_id);
    std::vector<core::AccessToken> tokens;
    while (q->executeStep()) {
        tokens.push_back(read_token(*q));
    }
    return tokens;
}

long long live_count(Connection& c, const std::string& account_id) {
    auto q = c.query(sql::token_live_count);
    q->bind(":account_id", account_id);
    q->executeStep();
    return q->getColumn(0).getInt64();
}

bool revoke(Connection& c, const std::string& id, const std::string& revoked_at) {
    auto q = c.query(sql::token_revoke);
    q->bind(":id", id);
    q->bind(":revoked_at", revoked_at);
    return q->exec() > 0;
}

void touch(Connection& c, const std::vector<std::pair<std::string, std::string>>& uses) {
    for (const auto& [id, when] : uses) {
        auto q = c.query(sql::token_touch);
        q->bind(":id", id);
        q->bind(":last_used_at", when);
        q->exec();
    }
}

} // namespace tokend::store::tokens
