// Repository of websites and memberships (who has which role on which website).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/types.hpp"
#include "store/connection.hpp"

namespace tokend::store::websites {

// Inserts the website and its owner's membership. Returns false (and changes nothing) when the
// owner already has a website with this domain.
bool insert_with_owner(Connection& c, const core::Website& website);
std::optional<core::Website> by_id(Connection& c, const std::string& id);
// Every website the account has a membership on, with its role, oldest first.
std::vector<core::WebsiteView> views_of(Connection& c, const std::string& account_id);
// Writes domain, name and timezone. Returns false (and changes nothing) when the owner already
// has another website with this domain.
bool update(Connection& c, const core::Website& website);
// Memberships go with the website (ON DELETE CASCADE); tokens keep the dangling id. Returns
// false when no such website exists.
bool remove(Connection& c, const std::string& id);

// Returns false (and changes nothing) when the account is already on the website's team.
bool add_member(Connection& c, const std::string& account_id, const std::string& website_id,
                core::Role role, const std::string& joined_at);
// Never removes an owner. Returns false when there was no such (non-owner) membership.
bool remove_member(Connection& c, const std::string& account_id, const std::string& website_id);
std::vector<core::Membership> memberships_of(Connection& c, const std::string& account_id);
// The account's membership on one website, as a list of zero or one (the shape core::decide takes).
std::vector<core::Membership> membership_on(Connection& c, const std::string& account_id,
                                            const std::string& website_id);
// The website's team, in the order members joined (the owner first).
std::vector<core::TeamMember> team_of(Connection& c, const std::string& website_id);

} // namespace tokend::store::websites
