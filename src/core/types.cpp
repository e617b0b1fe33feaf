// Role names.
#include "core/types.hpp"

namespace tokend::core {

std::string_view role_name(Role role) {
    switch (role) {
    case Role::Owner:
        return "owner";
    case Role::Member:
        return "member";
    case Role::Viewer:
        return "viewer";
    }
    return "viewer";
}

std::optional<Role> parse_role(std::string_view text) {
    if (text == "owner") {
        return Role::Owner;
    }
    if (text == "member") {
        return Role::Member;
    }
    if (text == "viewer") {
        return Role::Viewer;
    }
    return std::nullopt;
}

} // namespace tokend::core
