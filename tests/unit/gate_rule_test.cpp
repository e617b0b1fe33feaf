// The rule behind GET /api/v1/auth/check (core::gate_operation with core::decide): which role a
// permission asked about by a gate needs on a website.
#include <gtest/gtest.h>

#include "core/access.hpp"

using namespace tokend::core;

namespace {
const std::string kW = "aaaaaaaaaaaaaaaaaaaaaaa1";
const Scope kStar{{Permission::All}, {}};

Verdict gate(Role role, Permission needed) {
    return decide(kStar, {{kW, role}}, kW, gate_operation(needed));
}
} // namespace

TEST(GateRule, ViewerMayRead) {
    EXPECT_EQ(gate(Role::Viewer, Permission::AnalyticsRead), Verdict::Allowed);
}

TEST(GateRule, ViewerMayNotWrite) {
    EXPECT_EQ(gate(Role::Viewer, Permission::GoalsWrite), Verdict::RoleTooLow);
}

TEST(GateRule, MemberMayWrite) {
    EXPECT_EQ(gate(Role::Member, Permission::SettingsWrite), Verdict::Allowed);
}

TEST(GateRule, TeamWriteIsOwnerOnly) {
    EXPECT_EQ(gate(Role::Member, Permission::TeamWrite), Verdict::RoleTooLow);
    EXPECT_EQ(gate(Role::Owner, Permission::TeamWrite), Verdict::Allowed);
}

TEST(GateRule, EverythingIsOwnerOnly) {
    EXPECT_EQ(gate(Role::Member, Permission::All), Verdict::RoleTooLow);
    EXPECT_EQ(gate(Role::Owner, Permission::All), Verdict::Allowed);
}

TEST(GateRule, EverythingNeedsAStarToken) {
    Scope reader{{Permission::AnalyticsRead}, {}};
    EXPECT_EQ(decide(reader, {{kW, Role::Owner}}, kW, gate_operation(Permission::All)),
              Verdict::MissingPermission);
}
