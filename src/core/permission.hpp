// Permission strings (SPEC §5), a token's scope, and the "does not exceed" relation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tokend::core {

enum class Permission : std::uint8_t {
    All, // "*"
    AnalyticsRead,
    GoalsRead,
    GoalsWrite,
    PaymentsRead,
    PaymentsWrite,
    IdentifyWrite,
    WebsitesRead,
    WebsitesWrite,
    SettingsRead,
    SettingsWrite,
    FunnelsRead,
    FunnelsWrite,
    AlertsRead,
    AlertsWrite,
    TeamRead,
    TeamWrite,
    ApiKeysRead,
    ApiKeysWrite,
};

using Permissions = std::vector<Permission>; // ordered as the token's creator listed them

std::optional<Permission> parse_permission(std::string_view text);
std::string_view permission_name(Permission permission);
const std::vector<Permission>& all_permissions(); // every value, `*` first

// Duplicates removed (first occurrence kept); a list containing `*` becomes just `*`.
Permissions normalize_permissions(const Permissions& permissions);

bool holds(const Permissions& held, Permission needed);

// What a token may do: its permissions and its website list (empty = every website the
// account can reach).
struct Scope {
    Permissions permissions;
    std::vector<std::string> website_ids;
};

// SPEC §5: `a` does not exceed `b` when b holds every permission of a and, if b's website list
// is not empty, a's list is not empty and is a subset of b's.
bool does_not_exceed(const Scope& a, const Scope& b);

// Storage form: comma-separated (no permission name or id contains a comma).
std::string join_list(const std::vector<std::string>& items);
std::vector<std::string> split_list(std::string_view text);
std::string join_permissions(const Permissions& permissions);
Permissions split_permissions(std::string_view text); // skips unknown names

} // namespace tokend::core
