// Access tokens table.
#include "store/tokens.hpp"

#include <cstring>

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
    token.expires_at = optional_text(s.getColumn(9));
    token.rotated_at = optional_text(s.getColumn(10));
    token.previous_expires_at = optional_text(s.getColumn(11));
    token.allowed_ips = core::split_list(s.getColumn(12).getText());
    if (!s.getColumn(13).isNull() && !s.getColumn(14).isNull()) {
        token.rate_limit = core::RateLimit{s.getColumn(13).getInt(), s.getColumn(14).getInt()};
    }
    token.last_used_ip = optional_text(s.getColumn(15));
    token.current_key_used = s.getColumn(16).getInt() != 0;
    return token;
}

std::optional<core::AccessToken> one(Connection::Query& q) {
    if (!q->executeStep()) {
        return std::nullopt;
    }
    return read_token(*q);
}

void bind_digest(SQLite::Statement& s, const char* name, const crypto::Digest& digest) {
    s.bind(name, digest.data(), static_cast<int>(digest.size()));
}

crypto::Digest read_digest(const SQLite::Column& column) {
    crypto::Digest digest{};
    if (column.getBytes() == static_cast<int>(digest.size())) {
        std::memcpy(digest.data(), column.getBlob(), digest.size());
    }
    return digest;
}

// The usage-policy columns, shared by insert and update.
void bind_policies(SQLite::Statement& s, const core::AccessToken& token) {
    s.bind(":allowed_ips", core::join_list(token.allowed_ips));
    if (token.rate_limit) {
        s.bind(":rate_limit", token.rate_limit->limit);
        s.bind(":rate_window_seconds", token.rate_limit->window_seconds);
    } else {
        s.bind(":rate_limit");
        s.bind(":rate_window_seconds");
    }
}
} // namespace

void insert(Connection& c, const core::AccessToken& token, const crypto::Digest& hash) {
    auto q = c.query(sql::token_insert);
    q->bind(":id", token.id);
    q->bind(":account_id", token.account_id);
    bind_optional(*q, ":name", token.name);
    q->bind(":display_key", token.display_key);
    bind_digest(*q, ":hash", hash);
    q->bind(":permissions", core::join_permissions(token.scope.permissions));
    q->bind(":website_ids", core::join_list(token.scope.website_ids));
    q->bind(":created_at", token.created_at);
    bind_optional(*q, ":expires_at", token.expires_at);
    bind_policies(*q, token);
    q->exec();
}

std::optional<KeyMatch> by_key_hash(Connection& c, const crypto::Digest& hash) {
    auto q = c.query(sql::token_by_key_hash);
    bind_digest(*q, ":hash", hash);
    if (!q->executeStep()) {
        return std::nullopt;
    }
    return KeyMatch{read_token(*q), q->getColumn(17).getInt() != 0};
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

std::vector<core::AccessToken> page_of_account(Connection& c, const PageRequest& request) {
    auto q = c.query(request.after ? sql::token_page_after : sql::token_page_first);
    q->bind(":account_id", request.account_id);
    q->bind(":expired", request.expired ? (*request.expired ? 1 : 0) : -1);
    q->bind(":now", request.now);
    q->bind(":limit", request.limit);
    if (request.after) {
        q->bind(":after_created_at", request.after->created_at);
        q->bind(":after_id", request.after->id);
    }
    std::vector<core::AccessToken> tokens;
    while (q->executeStep()) {
        tokens.push_back(read_token(*q));
    }
    return tokens;
}

long long live_count(Connection& c, const std::string& account_id, const std::string& now) {
    auto q = c.query(sql::token_live_count);
    q->bind(":account_id", account_id);
    q->bind(":now", now);
    q->executeStep();
    return q->getColumn(0).getInt64();
}

std::optional<KeyHashes> key_hashes(Connection& c, const std::string& id) {
    auto q = c.query(sql::token_key_hashes);
    q->bind(":id", id);
    if (!q->executeStep()) {
        return std::nullopt;
    }
    KeyHashes hashes;
    hashes.current = read_digest(q->getColumn(0));
    if (!q->getColumn(1).isNull()) {
        hashes.previous = read_digest(q->getColumn(1));
    }
    return hashes;
}

bool rotate(Connection& c, const core::AccessToken& token, const KeyHashes& hashes) {
    auto q = c.query(sql::token_rotate);
    q->bind(":id", token.id);
    bind_digest(*q, ":hash", hashes.current);
    q->bind(":display_key", token.display_key);
    if (hashes.previous) {
        bind_digest(*q, ":previous_hash", *hashes.previous);
    } else {
        q->bind(":previous_hash");
    }
    bind_optional(*q, ":previous_expires_at", token.previous_expires_at);
    bind_optional(*q, ":rotated_at", token.rotated_at);
    bind_optional(*q, ":expires_at", token.expires_at);
    return q->exec() > 0;
}

bool update(Connection& c, const core::AccessToken& token) {
    auto q = c.query(sql::token_update);
    q->bind(":id", token.id);
    bind_optional(*q, ":name", token.name);
    bind_optional(*q, ":expires_at", token.expires_at);
    bind_policies(*q, token);
    return q->exec() > 0;
}

bool revoke(Connection& c, const std::string& id, const std::string& revoked_at) {
    auto q = c.query(sql::token_revoke);
    q->bind(":id", id);
    q->bind(":revoked_at", revoked_at);
    return q->exec() > 0;
}

void touch(Connection& c, const std::vector<Use>& uses) {
    for (const auto& use : uses) {
        {
            auto q = c.query(sql::token_touch);
            q->bind(":id", use.token_id);
            q->bind(":last_used_at", use.when);
            bind_optional(*q, ":last_used_ip",
                          use.address.empty() ? std::nullopt : std::optional(use.address));
            q->exec();
        }
        if (use.current_key) {
            auto q = c.query(sql::token_mark_key_used);
            q->bind(":id", use.token_id);
            bind_digest(*q, ":hash", *use.current_key);
            q->exec();
        }
    }
}

int purge_expired(Connection& c, const std::string& cutoff) {
    auto q = c.query(sql::token_purge_expired);
    q->bind(":cutoff", cutoff);
    return q->exec();
}

} // namespace tokend::store::tokens
