// The access rule of SPEC §5: which websites a token reaches, and what its role allows there.
// Every website route and token creation decide with these functions, so there is one rule.
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

// What an operation asks of the caller's role: viewers only read, members do all but
// owner-only actions (team changes), owners do everything.
enum class RoleNeed { Read, Write, Owner };
bool role_allows(Role role, RoleNeed need);

// An operation on one website: the permission it needs, and whether only the owner may do it.
// Its role need follows from the permission (`…:read` reads, anything else writes).
struct WebsiteOperation {
    Permission permission;
    bool owner_only = false;
    RoleNeed role_need() const;
};

// The verdict of SPEC §5 for one operation, checked in this order so that a refusal never
// depends on facts the caller may not learn: the permission (about the token alone), then reach
// (identical for another account's website and a missing one), then the role.
enum class Verdict { Allowed, MissingPermission, OutOfReach, RoleTooLow };
Verdict decide(const Scope& scope, const std::vector<Membership>& memberships,
               const std::string& website_id, const WebsiteOperation& operation);

// The operation a gate check (GET /api/v1/auth/check) asks about, which names only a permission:
// on the API the owner-only actions are the team changes behind team:write, and `*` includes them.
WebsiteOperation gate_operation(Permission permission);

// Full access for an account: what an admin-page session or a CLI command acts with.
Caller full_access(const std::string& account_id);
// Full access for a CLI command: audited with actor type `cli`.
Caller cli_access(const std::string& account_id);

} // namespace tokend::core
