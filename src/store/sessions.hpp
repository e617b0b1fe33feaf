// Repository of admin-page sessions, found by the keyed hash of the cookie value.
#pragma once

#include <optional>
#include <string>

#include "crypto/token_hasher.hpp"
#include "store/connection.hpp"

namespace tokend::store::sessions {

void insert(Connection& c, const crypto::Digest& hash, const std::string& account_id,
            const std::string& created_at, const std::string& expires_at);
// The account of a session that has not expired at `now`.
std::optional<std::string> account_of(Connection& c, const crypto::Digest& hash,
                                      const std::string& now);
void remove(Connection& c, const crypto::Digest& hash);
void remove_expired(Connection& c, const std::string& now);

} // namespace tokend::store::sessions
