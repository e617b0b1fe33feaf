// Repository of access tokens. Tokens are found by their keyed hash, never by raw value.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/types.hpp"
#include "crypto/token_hasher.hpp"
#include "store/connection.hpp"

namespace tokend::store::tokens {

void insert(Connection& c, const core::AccessToken& token, const crypto::Digest& hash);
std::optional<core::AccessToken> by_hash(Connection& c, const crypto::Digest& hash);
std::optional<core::AccessToken> by_id(Connection& c, const std::string& id);
std::vector<core::AccessToken> live_of_account(Connection& c, const std::string& account_id);
long long live_count(Connection& c, const std::string& account_id);
// Returns false when the token was already revoked (or does not exist).
bool revoke(Connection& c, const std::string& id, const std::string& revoked_at);
// Records use times: (token id, timestamp) pairs; never moves a lastUsedAt backwards.
void touch(Connection& c, const std::vector<std::pair<std::string, std::string>>& uses);

} // namespace tokend::store::tokens
