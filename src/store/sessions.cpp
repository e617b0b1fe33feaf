// Sessions table.
#include "store/sessions.hpp"

#include "sql_embedded.hpp"

namespace tokend::store::sessions {

void insert(Connection& c, const crypto::Digest& hash, const std::string& account_id,
            const std::string& created_at, const std::string& expires_at) {
    auto q = c.query(sql::session_insert);
    q->bind_blob(":hash", hash);
    q->bind(":account_id", account_id);
    q->bind(":created_at", created_at);
    q->bind(":expires_at", expires_at);
    q->exec();
}

std::optional<std::string> account_of(Connection& c, const crypto::Digest& hash,
                                      const std::string& now) {
    auto q = c.query(sql::session_account);
    q->bind_blob(":hash", hash);
    q->bind(":now", now);
    if (!q->step()) {
        return std::nullopt;
    }
    return q->text(0);
}

void remove(Connection& c, const crypto::Digest& hash) {
    auto q = c.query(sql::session_delete);
    q->bind_blob(":hash", hash);
    q->exec();
}

void remove_expired(Connection& c, const std::string& now) {
    auto q = c.query(sql::session_delete_expired);
    q->bind(":now", now);
    q->exec();
}

} // namespace tokend::store::sessions
