// Repository of websites and memberships (who has which role on which website).
#pragma once

#include <string>
#include <vector>

#include "core/types.hpp"
#include "store/connection.hpp"

namespace tokend::store::websites {

// Inserts the website and its owner's membership. Returns false (and changes nothing) when the
// owner already has a website with this domain.
bool insert_with_owner(Connection& c, const core::Website& website);
void add_member(Connection& c, const std::string& account_id, const std::string& website_id,
                core::Role role, const std::string& joined_at);
std::vector<core::Membership> memberships_of(Connection& c, const std::string& account_id);

} // namespace tokend::store::websites
