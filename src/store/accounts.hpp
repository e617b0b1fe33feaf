// Repository of accounts.
#pragma once

#include <optional>
#include <string>

#include "core/types.hpp"
#include "store/connection.hpp"

namespace tokend::store::accounts {

// Returns false (and changes nothing) when the email is already taken.
bool insert(Connection& c, const core::Account& account);
std::optional<core::Account> by_id(Connection& c, const std::string& id);
std::optional<core::Account> by_email(Connection& c, const std::string& email);
long long count(Connection& c);
// Held until the write transaction ends: serialise writes that check a per-account limit, and
// first-run set-up, across every node on the database (SQLite's single writer already does).
void lock(Connection& c, const std::string& id);
void lock_for_setup(Connection& c);
void set_password_hash(Connection& c, const std::string& id, const std::string& hash);

} // namespace tokend::store::accounts
