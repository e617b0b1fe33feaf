// Permission strings, normalisation and the "does not exceed" relation of SPEC §5.
#include <gtest/gtest.h>

#include "core/permission.hpp"

using namespace tokend::core;

namespace {
constexpr Permission kAll = Permission::All;
constexpr Permission kRead = Permission::AnalyticsRead;
constexpr Permission kGoals = Permission::GoalsRead;
constexpr Permission kKeysRead = Permission::ApiKeysRead;
constexpr Permission kKeysWrite = Permission::ApiKeysWrite;
const std::string kW1 = "aaaaaaaaaaaaaaaaaaaaaaa1";
const std::string kW2 = "aaaaaaaaaaaaaaaaaaaaaaa2";
const std::string kW3 = "aaaaaaaaaaaaaaaaaaaaaaa3";
} // namespace

TEST(Permission, ParsesEveryNameTheSpecLists) {
    const char* names[] = {"analytics:read",
                           "goals:read",
                           "goals:write",
                           "payments:read",
                           "payments:write",
                           "identify:write",
                           "websites:read",
                           "websites:write",
                           "settings:read",
                           "settings:write",
                           "funnels:read",
                           "funnels:write",
                           "alerts:read",
                           "alerts:write",
                           "team:read",
                           "team:write",
                           "api-keys:read",
                           "api-keys:write",
                           "*"};
    for (const char* name : names) {
        auto parsed = parse_permission(name);
        ASSERT_TRUE(parsed.has_value()) << name;
        EXPECT_EQ(permission_name(*parsed), name);
    }
    EXPECT_EQ(all_permissions().size(), std::size(names));
}

TEST(Permission, RejectsWildcardPatternsOtherThanStar) {
    for (const char* text : {"*:read", "websites:*", "*:*", "**", "api-keys:*"}) {
        EXPECT_FALSE(parse_permission(text).has_value()) << text;
    }
}

TEST(Permission, RejectsCaseVariantsAndPadding) {
    for (const char* text :
         {"Analytics:read", "ANALYTICS:READ", "analytics:Read", " analytics:read",
          "analytics:read ", "analytics: read", "", "analytics", "read"}) {
        EXPECT_FALSE(parse_permission(text).has_value()) << '"' << text << '"';
    }
}

TEST(Permission, NormalizeRemovesDuplicatesKeepingFirstOccurrence) {
    EXPECT_EQ(normalize_permissions({kGoals, kRead, kGoals, kKeysRead, kRead}),
              (Permissions{kGoals, kRead, kKeysRead}));
}

TEST(Permission, NormalizeCollapsesAnyListWithStarToStar) {
    EXPECT_EQ(normalize_permissions({kRead, kAll, kGoals}), (Permissions{kAll}));
    EXPECT_EQ(normalize_permissions({kAll, kAll}), (Permissions{kAll}));
}

TEST(Permission, NormalizeKeepsOrderOfDistinctPermissions) {
    EXPECT_EQ(normalize_permissions({kKeysWrite, kRead}), (Permissions{kKeysWrite, kRead}));
}

TEST(Permission, StarHoldsEverything) {
    for (Permission p : all_permissions()) {
        EXPECT_TRUE(holds({kAll}, p)) << permission_name(p);
    }
}

TEST(Permission, ReadDoesNotImplyWrite) {
    EXPECT_FALSE(holds({kKeysRead}, kKeysWrite));
    EXPECT_FALSE(holds({kKeysWrite}, kKeysRead));
}

TEST(Permission, StorageFormRoundTrips) {
    Permissions list{kGoals, kKeysWrite, kRead};
    EXPECT_EQ(split_permissions(join_permissions(list)), list);
    EXPECT_EQ(split_list(join_list({kW1, kW2})), (std::vector<std::string>{kW1, kW2}));
    EXPECT_TRUE(split_list("").empty());
}

struct ExceedCase {
    const char* what;
    Scope a;
    Scope b;
    bool expected;
};

TEST(DoesNotExceed, FollowsSpecTable) {
    const ExceedCase cases[] = {
        {"identical scopes", {{kRead}, {}}, {{kRead}, {}}, true},
        {"star within star", {{kAll}, {}}, {{kAll}, {}}, true},
        {"anything within star", {{kRead, kKeysWrite}, {}}, {{kAll}, {}}, true},
        {"star exceeds a listed permission", {{kAll}, {}}, {{kRead}, {}}, false},
        {"star exceeds every non-star list",
         {{kAll}, {}},
         {{kRead, kGoals, kKeysRead, kKeysWrite}, {}},
         false},
        {"subset of permissions", {{kRead}, {}}, {{kRead, kGoals}, {}}, true},
        {"superset of permissions", {{kRead, kGoals}, {}}, {{kRead}, {}}, false},
        {"write is not implied by read", {{kKeysWrite}, {}}, {{kKeysRead}, {}}, false},
        {"duplicate permissions in a", {{kRead, kRead}, {}}, {{kRead}, {}}, true},
        {"duplicate permissions in b", {{kRead}, {}}, {{kRead, kRead}, {}}, true},
        {"no permissions at all", {{}, {}}, {{kRead}, {}}, true},
        {"b holds star among others", {{kKeysWrite}, {}}, {{kRead, kAll}, {}}, true},
        {"both unrestricted", {{kRead}, {}}, {{kRead}, {}}, true},
        {"restricted within unrestricted", {{kRead}, {kW1}}, {{kRead}, {}}, true},
        {"unrestricted exceeds restricted", {{kRead}, {}}, {{kRead}, {kW1}}, false},
        {"unrestricted star exceeds restricted star", {{kAll}, {}}, {{kAll}, {kW1}}, false},
        {"same website list", {{kRead}, {kW1, kW2}}, {{kRead}, {kW1, kW2}}, true},
        {"website subset", {{kRead}, {kW2}}, {{kRead}, {kW1, kW2}}, true},
        {"website subset in other order", {{kRead}, {kW2, kW1}}, {{kRead}, {kW1, kW2}}, true},
        {"website outside b's list", {{kRead}, {kW3}}, {{kRead}, {kW1, kW2}}, false},
        {"one website outside b's list", {{kRead}, {kW1, kW3}}, {{kRead}, {kW1, kW2}}, false},
        {"duplicate websites in a", {{kRead}, {kW1, kW1}}, {{kRead}, {kW1}}, true},
        {"restricted star within restricted star", {{kAll}, {kW1}}, {{kAll}, {kW1}}, true},
        {"good websites but too many permissions", {{kAll}, {kW1}}, {{kRead}, {kW1}}, false},
        {"good permissions but too many websites", {{kRead}, {kW1, kW2}}, {{kAll}, {kW1}}, false},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(does_not_exceed(c.a, c.b), c.expected) << c.what;
    }
}

TEST(DoesNotExceed, EveryScopeDoesNotExceedItself) {
    const Scope scopes[] = {{{kAll}, {}}, {{kRead}, {kW1}}, {{kRead, kGoals}, {kW1, kW2}}};
    for (const auto& s : scopes) {
        EXPECT_TRUE(does_not_exceed(s, s));
    }
}
