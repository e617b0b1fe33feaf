// The access rule of SPEC §5 (core::decide), checked case by case against a small model written
// from the spec's text with plain strings, independent of the production code.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "core/access.hpp"

using namespace tokend::core;

namespace {
const std::string kW = "aaaaaaaaaaaaaaaaaaaaaaa1"; // the website asked about
const std::string kX = "aaaaaaaaaaaaaaaaaaaaaaa2"; // another website the account owns

bool contains(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

// SPEC §5: T may do an operation needing P on W when T holds P or `*`; W is in T's list or the
// list is empty; and the account's role on W allows it (viewer: reads only; member: all but
// owner-only actions; owner: everything). No membership means no role, so nothing is allowed.
bool model_allows(const std::vector<std::string>& token_permissions,
                  const std::vector<std::string>& token_websites,
                  const std::map<std::string, std::string>& roles, const std::string& website,
                  const std::string& needed, bool owner_only) {
    bool holds = contains(token_permissions, "*") || contains(token_permissions, needed);
    bool listed = token_websites.empty() || contains(token_websites, website);
    auto role = roles.find(website);
    if (!holds || !listed || role == roles.end()) {
        return false;
    }
    bool is_read = needed.size() > 5 && needed.compare(needed.size() - 5, 5, ":read") == 0;
    if (owner_only) {
        return role->second == "owner";
    }
    return is_read || role->second != "viewer";
}

Permissions parsed(const std::vector<std::string>& names) {
    Permissions permissions;
    for (const auto& name : names) {
        permissions.push_back(parse_permission(name).value());
    }
    return permissions;
}

std::vector<Membership> memberships_from(const std::map<std::string, std::string>& roles) {
    std::vector<Membership> memberships;
    for (const auto& [website, role] : roles) {
        memberships.push_back({website, parse_role(role).value()});
    }
    return memberships;
}

// Every permission but `*`, as the spec spells them.
std::vector<std::string> permission_names() {
    std::vector<std::string> names;
    for (Permission p : all_permissions()) {
        if (p != Permission::All) {
            names.emplace_back(permission_name(p));
        }
    }
    return names;
}
} // namespace

TEST(AccessRule, AgreesWithTheSpecModelOnEveryCombination) {
    auto names = permission_names();
    ASSERT_EQ(names.size(), 18u);
    const std::vector<std::vector<std::string>> lists = {{}, {kW}, {kX}, {kX, kW}};
    const std::vector<std::string> roles_on_w = {"", "viewer", "member", "owner"};
    int cases = 0;
    for (const auto& needed : names) {
        std::string other = needed == "goals:read" ? "alerts:write" : "goals:read";
        const std::vector<std::vector<std::string>> held = {
            {needed}, {"*"}, {other}, {other, needed}};
        for (bool owner_only : {false, true}) {
            for (const auto& permissions : held) {
                for (const auto& websites : lists) {
                    for (const auto& role : roles_on_w) {
                        std::map<std::string, std::string> roles{{kX, "owner"}};
                        if (!role.empty()) {
                            roles[kW] = role;
                        }
                        bool expected =
                            model_allows(permissions, websites, roles, kW, needed, owner_only);
                        Scope scope{parsed(permissions), websites};
                        WebsiteOperation operation{parse_permission(needed).value(), owner_only};
                        Verdict verdict = decide(scope, memberships_from(roles), kW, operation);
                        EXPECT_EQ(verdict == Verdict::Allowed, expected)
                            << "needs " << needed << (owner_only ? " (owner only)" : "")
                            << ", holds " << permissions.size() << " permission(s) starting "
                            << permissions.front() << ", list of " << websites.size() << ", role '"
                            << role << "'";
                        ++cases;
                    }
                }
            }
        }
    }
    EXPECT_EQ(cases, 18 * 2 * 4 * 4 * 4);
}

TEST(AccessRule, MissingPermissionIsReportedBeforeReach) {
    Scope scope{{Permission::GoalsRead}, {}};
    EXPECT_EQ(decide(scope, {}, kW, {Permission::SettingsRead}), Verdict::MissingPermission);
}

TEST(AccessRule, ForeignAndMissingWebsitesGetTheSameVerdict) {
    Scope scope{{Permission::All}, {}};
    std::vector<Membership> mine{{kX, Role::Owner}};
    // kW exists for someone else or not at all: the account has no membership either way.
    EXPECT_EQ(decide(scope, mine, kW, {Permission::SettingsRead}), Verdict::OutOfReach);
    EXPECT_EQ(decide(scope, mine, "ffffffffffffffffffffffff", {Permission::SettingsRead}),
              Verdict::OutOfReach);
}

TEST(AccessRule, RoleIsCheckedOnlyForReachableWebsites) {
    Scope scope{{Permission::All}, {kX}};
    std::vector<Membership> viewer_on_w{{kW, Role::Viewer}};
    EXPECT_EQ(decide(scope, viewer_on_w, kW, {Permission::SettingsWrite}), Verdict::OutOfReach);
}

TEST(AccessRule, StarTokenOfAMemberCannotDoOwnerOnlyActions) {
    Scope star{{Permission::All}, {}};
    std::vector<Membership> member{{kW, Role::Member}};
    EXPECT_EQ(decide(star, member, kW, {Permission::TeamWrite, true}), Verdict::RoleTooLow);
    EXPECT_EQ(decide(star, member, kW, {Permission::SettingsWrite}), Verdict::Allowed);
}

TEST(AccessRule, ViewerOnlyReads) {
    Scope star{{Permission::All}, {}};
    std::vector<Membership> viewer{{kW, Role::Viewer}};
    EXPECT_EQ(decide(star, viewer, kW, {Permission::TeamRead}), Verdict::Allowed);
    EXPECT_EQ(decide(star, viewer, kW, {Permission::GoalsWrite}), Verdict::RoleTooLow);
}

TEST(AccessRule, DanglingIdInTheTokensListReachesNothing) {
    // The token named kW, which was deleted (its memberships went with it); the list stays.
    Scope scope{{Permission::All}, {kW}};
    std::vector<Membership> remaining{{kX, Role::Owner}};
    EXPECT_FALSE(can_reach(scope, remaining, kW));
    EXPECT_FALSE(can_reach(scope, remaining, kX));
}

TEST(AccessRule, ReachNeedsAnyRoleOnly) {
    Scope scope{{Permission::AnalyticsRead}, {}};
    for (Role role : {Role::Viewer, Role::Member, Role::Owner}) {
        EXPECT_TRUE(can_reach(scope, {{kW, role}}, kW));
    }
}

TEST(AccessRule, ReadPermissionsNeedReadingOnly) {
    EXPECT_EQ(WebsiteOperation{Permission::SettingsRead}.role_need(), RoleNeed::Read);
    EXPECT_EQ(WebsiteOperation{Permission::SettingsWrite}.role_need(), RoleNeed::Write);
    EXPECT_EQ(WebsiteOperation{Permission::IdentifyWrite}.role_need(), RoleNeed::Write);
    EXPECT_EQ((WebsiteOperation{Permission::TeamRead, true}.role_need()), RoleNeed::Owner);
}
