// Permission names and the scope relation.
#include "core/permission.hpp"

#include <algorithm>
#include <array>

namespace tokend::core {

namespace {
constexpr std::array<std::string_view, 19> kNames = {
    "*",
    "analytics:read",
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
};
} // namespace

std::optional<Permission> parse_permission(std::string_view text) {
    for (std::size_t i = 0; i < kNames.size(); ++i) {
        if (kNames[i] == text) {
            return static_cast<Permission>(i);
        }
    }
    return std::nullopt;
}

std::string_view permission_name(Permission permission) {
    return kNames.at(static_cast<std::size_t>(permission));
}

const std::vector<Permission>& all_permissions() {
    static const std::vector<Permission> all = [] {
        std::vector<Permission> values;
        for (std::size_t i = 0; i < kNames.size(); ++i) {
            values.push_back(static_cast<Permission>(i));
        }
        return values;
    }();
    return all;
}

Permissions normalize_permissions(const Permissions& permissions) {
    if (holds(permissions, Permission::All)) {
        return {Permission::All};
    }
    Permissions unique;
    for (Permission p : permissions) {
        if (std::find(unique.begin(), unique.end(), p) == unique.end()) {
            unique.push_back(p);
        }
    }
    return unique;
}

bool holds(const Permissions& held, Permission needed) {
    return std::any_of(held.begin(), held.end(),
                       [needed](Permission p) { return p == Permission::All || p == needed; });
}

bool does_not_exceed(const Scope& a, const Scope& b) {
    bool permissions_ok = std::all_of(a.permissions.begin(), a.permissions.end(),
                                      [&b](Permission p) { return holds(b.permissions, p); });
    if (!permissions_ok) {
        return false;
    }
    if (b.website_ids.empty()) {
        return true;
    }
    if (a.website_ids.empty()) {
        return false;
    }
    return std::all_of(a.website_ids.begin(), a.website_ids.end(), [&b](const std::string& id) {
        return std::find(b.website_ids.begin(), b.website_ids.end(), id) != b.website_ids.end();
    });
}

std::string join_list(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) {
            out.push_back(',');
        }
        out += item;
    }
    return out;
}

std::vector<std::string> split_list(std::string_view text) {
    std::vector<std::string> items;
    while (!text.empty()) {
        auto comma = text.find(',');
        items.emplace_back(text.substr(0, comma));
        if (comma == std::string_view::npos) {
            break;
        }
        text.remove_prefix(comma + 1);
    }
    return items;
}

std::string join_permissions(const Permissions& permissions) {
    std::vector<std::string> names;
    for (Permission p : permissions) {
        names.emplace_back(permission_name(p));
    }
    return join_list(names);
}

Permissions split_permissions(std::string_view text) {
    Permissions permissions;
    for (const auto& name : split_list(text)) {
        if (auto p = parse_permission(name)) {
            permissions.push_back(*p);
        }
    }
    return permissions;
}

} // namespace tokend::core
