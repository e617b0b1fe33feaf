// The access rule of SPEC §5: which websites a token reaches, and what its role allows there.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/types.hpp"

namespace tokend::core {

std::optional<Role> role_on(const std::vector<Membership>& memberships,
                            const std::string& website_id);

// A website is within reach when the account has any membership on it and the token's website
// list is empty or names it. A deleted website has no memberships, so a dangling id reaches
// nothing.
bool can_reach(const Scope& scope, const std::vector<Membership>& memberships,
               const std::string& website_id);

// Full access for an account: what an admin-page session or a CLI command acts with.
Caller full_access(const std::string& account_id);

} // namespace tokend::core
