// Website reach and role rules.
#include "core/access.hpp"

#include <algorithm>

namespace tokend::core {

std::optional<Role> role_on(const std::vector<Membership>& memberships,
                            const std::string& website_id) {
    for (const auto& m : memberships) {
        if (m.website_id == website_id) {
            return m.role;
        }
    }
    return std::nullopt;
}

bool can_reach(const Scope& scope, const std::vector<Membership>& memberships,
               const std::string& website_id) {
    bool listed = scope.website_ids.empty() ||
                  std::find(scope.website_ids.begin(), scope.website_ids.end(), website_id) !=
                      scope.website_ids.end();
    return listed && role_on(memberships, website_id).has_value();
}

bool role_allows(Role role, RoleNeed need) {
    switch (need) {
    case RoleNeed::Read:
        return true;
    case RoleNeed::Write:
        return role == Role::Owner || role == Role::Member;
    case RoleNeed::Owner:
        return role == Role::Owner;
    }
    return false;
}

RoleNeed WebsiteOperation::role_need() const {
    if (owner_only) {
        return RoleNeed::Owner;
    }
    return permission_name(permission).ends_with(":read") ? RoleNeed::Read : RoleNeed::Write;
}

Verdict decide(const Scope& scope, const std::vector<Membership>& memberships,
               const std::string& website_id, const WebsiteOperation& operation) {
    if (!holds(scope.permissions, operation.permission)) {
        return Verdict::MissingPermission;
    }
    if (!can_reach(scope, memberships, website_id)) {
        return Verdict::OutOfReach;
    }
    auto role = role_on(memberships, website_id);
    return role_allows(*role, operation.role_need()) ? Verdict::Allowed : Verdict::RoleTooLow;
}

WebsiteOperation gate_operation(Permission permission) {
    return {permission, permission == Permission::TeamWrite || permission == Permission::All};
}

Caller full_access(const std::string& account_id) {
    Caller caller;
    caller.account_id = account_id;
    caller.scope = Scope{{Permission::All}, {}};
    return caller; // no expiry, no address list, no rate limit
}

Caller cli_access(const std::string& account_id) {
    Caller caller = full_access(account_id);
    caller.cli = true;
    return caller;
}

} // namespace tokend::core
