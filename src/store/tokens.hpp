// Repository of access tokens. Tokens are found by their keyed hash, never by raw value.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/page_cursor.hpp"
#include "core/types.hpp"
#include "crypto/token_hasher.hpp"
#include "store/connection.hpp"

namespace tokend::store::tokens {

// A presented key's token, and whether it matched the rotated-away key rather than the current.
struct KeyMatch {
    core::AccessToken token;
    bool previous_key = false;
};

// Both hashes of a token: the current key's and, after a rotation with a grace, the previous.
struct KeyHashes {
    crypto::Digest current{};
    std::optional<crypto::Digest> previous;
};

// A key's use, for the batched flush: when, and the current key's hash when that key was used.
struct Use {
    std::string token_id;
    std::string when;
    std::optional<crypto::Digest> current_key;
    std::string address; // the client address of that use; empty keeps the stored one
};

// One page of an account's live tokens, ORDER BY created_at DESC, id DESC (SPEC §11.11).
struct PageRequest {
    std::string account_id;
    std::optional<bool> expired;        // nullopt: both states; else expires_at <= now or not
    std::string now;                    // normalized timestamp the state is judged at
    std::optional<core::PageKey> after; // start strictly after this (createdAt, id)
    int limit = -1;                     // rows at most; -1 = all
};

void insert(Connection& c, const core::AccessToken& token, const crypto::Digest& hash);
// One indexed read that finds the current or the previous hash
// (sql/sqlite/queries/token_by_key_hash.sql).
std::optional<KeyMatch> by_key_hash(Connection& c, const crypto::Digest& hash);
std::optional<core::AccessToken> by_id(Connection& c, const std::string& id);
std::vector<core::AccessToken> live_of_account(Connection& c, const std::string& account_id);
// One indexed range read (sql/sqlite/queries/token_page_first.sql, token_page_after.sql).
std::vector<core::AccessToken> page_of_account(Connection& c, const PageRequest& request);
// Live tokens that count toward the per-account limit: not revoked and not expired at `now`.
long long live_count(Connection& c, const std::string& account_id, const std::string& now);
// Of a live token; nullopt when it is revoked or missing.
std::optional<KeyHashes> key_hashes(Connection& c, const std::string& id);
// Replaces the keys and rotation fields of a live token (`token` carries display_key,
// rotated_at, previous_expires_at and expires_at); false when it is revoked or missing.
bool rotate(Connection& c, const core::AccessToken& token, const KeyHashes& hashes);
// Writes the changeable fields (name, expires_at, allowed_ips, rate_limit) of a live token.
bool update(Connection& c, const core::AccessToken& token);
// Returns false when the token was already revoked (or does not exist).
bool revoke(Connection& c, const std::string& id, const std::string& revoked_at);
// Records uses; never moves a lastUsedAt backwards; marks the current key used when it still is.
void touch(Connection& c, const std::vector<Use>& uses);
// The tokens purge_expired is about to delete (id, account, name, display key only), so their
// token.expired_purged events are written in the purge's transaction.
std::vector<core::AccessToken> expired_before(Connection& c, const std::string& cutoff);
// Deletes tokens that expired before `cutoff`; returns how many.
int purge_expired(Connection& c, const std::string& cutoff);

} // namespace tokend::store::tokens
