// Website reach.
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

Caller full_access(const std::string& account_id) {
    return Caller{account_id, "", Scope{{Permission::All}, {}}};
}

} // namespace tokend::core
