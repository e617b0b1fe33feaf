// Access tokens table.
#include "store/tokens.hpp"

#include <cstring>

#include "sql_embedded.hpp"

namespace tokend::store::tokens {

namespace {
// Column order of every token SELECT in sql/sqlite/queries/token_*.sql.
core::AccessToken read_token(Statement& s) {
    core::AccessToken token;
    token.id = s.text(0);
    token.account_id = s.text(1);
    token.name = s.optional_text(2);
    token.display_key = s.text(3);
    token.scope.permissions = core::split_permissions(s.text(4));
    token.scope.website_ids = core::split_list(s.text(5));
    token.created_at = s.text(6);
    token.last_used_at = s.optional_text(7);
    token.revoked_at = s.optional_text(8);
    token.expires_at = s.optional_text(9);
    token.rotated_at = s.optional_text(10);
    token.previous_expires_at = s.optional_text(11);
    token.allowed_ips = core::split_list(s.text(12));
    if (!s.is_null(13) && !s.is_null(14)) {
        token.rate_limit =
            core::RateLimit{static_cast<int>(s.integer(13)), static_cast<int>(s.integer(14))};
    }
    token.last_used_ip = s.optional_text(15);
    token.current_key_used = s.integer(16) != 0;
    return token;
}

std::optional<core::AccessToken> one(Connection::Query& q) {
    if (!q->step()) {
        return std::nullopt;
    }
    return read_token(*q);
}

crypto::Digest read_digest(Statement& s, int column) {
    crypto::Digest digest{};
    auto bytes = s.blob(column);
    if (bytes.size() == digest.size()) {
        std::memcpy(digest.data(), bytes.data(), digest.size());
    }
    return digest;
}

// The usage-policy columns, shared by insert and update.
void bind_policies(Statement& s, const core::AccessToken& token) {
    s.bind(":allowed_ips", core::join_list(token.allowed_ips));
    if (token.rate_limit) {
        s.bind(":rate_limit", token.rate_limit->limit);
        s.bind(":rate_window_seconds", token.rate_limit->window_seconds);
    } else {
        s.bind_null(":rate_limit");
        s.bind_null(":rate_window_seconds");
    }
}
} // namespace

void insert(Connection& c, const core::AccessToken& token, const crypto::Digest& hash) {
    auto q = c.query(sql::token_insert);
    q->bind(":id", token.id);
    q->bind(":account_id", token.account_id);
    q->bind(":name", token.name);
    q->bind(":display_key", token.display_key);
    q->bind_blob(":hash", hash);
    q->bind(":permissions", core::join_permissions(token.scope.permissions));
    q->bind(":website_ids", core::join_list(token.scope.website_ids));
    q->bind(":created_at", token.created_at);
    q->bind(":expires_at", token.expires_at);
    bind_policies(*q, token);
    q->exec();
}

std::optional<KeyMatch> by_key_hash(Connection& c, const crypto::Digest& hash) {
    auto q = c.query(sql::token_by_key_hash);
    q->bind_blob(":hash", hash);
    if (!q->step()) {
        return std::nullopt;
    }
    return KeyMatch{read_token(*q), q->integer(17) != 0};
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
    while (q->step()) {
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
    while (q->step()) {
        tokens.push_back(read_token(*q));
    }
    return tokens;
}

long long live_count(Connection& c, const std::string& account_id, const std::string& now) {
    auto q = c.query(sql::token_live_count);
    q->bind(":account_id", account_id);
    q->bind(":now", now);
    q->step();
    return q->integer(0);
}

std::optional<KeyHashes> key_hashes(Connection& c, const std::string& id) {
    auto q = c.query(sql::token_key_hashes);
    q->bind(":id", id);
    if (!q->step()) {
        return std::nullopt;
    }
    KeyHashes hashes;
    hashes.current = read_digest(*q, 0);
    if (!q->is_null(1)) {
        hashes.previous = read_digest(*q, 1);
    }
    return hashes;
}

bool rotate(Connection& c, const core::AccessToken& token, const KeyHashes& hashes) {
    auto q = c.query(sql::token_rotate);
    q->bind(":id", token.id);
    q->bind_blob(":hash", hashes.current);
    q->bind(":display_key", token.display_key);
    if (hashes.previous) {
        q->bind_blob(":previous_hash", *hashes.previous);
    } else {
        q->bind_null(":previous_hash");
    }
    q->bind(":previous_expires_at", token.previous_expires_at);
    q->bind(":rotated_at", token.rotated_at);
    q->bind(":expires_at", token.expires_at);
    return q->exec() > 0;
}

bool update(Connection& c, const core::AccessToken& token) {
    auto q = c.query(sql::token_update);
    q->bind(":id", token.id);
    q->bind(":name", token.name);
    q->bind(":expires_at", token.expires_at);
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
            q->bind(":last_used_ip",
                    use.address.empty() ? std::nullopt : std::optional(use.address));
            q->exec();
        }
        if (use.current_key) {
            auto q = c.query(sql::token_mark_key_used);
            q->bind(":id", use.token_id);
            q->bind_blob(":hash", *use.current_key);
            q->exec();
        }
    }
}

std::vector<core::AccessToken> expired_before(Connection& c, const std::string& cutoff) {
    auto q = c.query(sql::token_expired_before);
    q->bind(":cutoff", cutoff);
    std::vector<core::AccessToken> tokens;
    while (q->step()) {
        core::AccessToken token;
        token.id = q->text(0);
        token.account_id = q->text(1);
        token.name = q->optional_text(2);
        token.display_key = q->text(3);
        tokens.push_back(std::move(token));
    }
    return tokens;
}

int purge_expired(Connection& c, const std::string& cutoff) {
    auto q = c.query(sql::token_purge_expired);
    q->bind(":cutoff", cutoff);
    return static_cast<int>(q->exec());
}

} // namespace tokend::store::tokens
