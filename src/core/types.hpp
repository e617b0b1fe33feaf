// The domain records of SPEC §2 and the authenticated caller, as plain values.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/permission.hpp"

namespace tokend::core {

enum class Role { Owner, Member, Viewer };
std::string_view role_name(Role role);
std::optional<Role> parse_role(std::string_view text);

struct Account {
    std::string id;
    std::string email;
    std::optional<std::string> name;
    std::optional<std::string> password_hash;
    std::string created_at;
};

struct Website {
    std::string id;
    std::string owner_id;
    std::string domain;
    std::optional<std::string> name;
    std::string timezone;
    std::string created_at;
};

struct Membership {
    std::string website_id;
    Role role;
};

// A website as one account sees it: the record plus that account's role on it.
struct WebsiteView {
    Website website;
    Role role;
};

// One row of a website's team: the member's account and role.
struct TeamMember {
    std::string account_id;
    std::optional<std::string> name;
    std::string email;
    Role role;
    std::string joined_at;
};

struct AccessToken {
    std::string id;
    std::string account_id;
    std::optional<std::string> name;
    std::string display_key;
    Scope scope;
    std::string created_at;
    std::optional<std::string> last_used_at;
    std::optional<std::string> revoked_at;
};

// Who is making a request: an account acting through one token's scope (or, for an admin-page
// session, with full access: `*` on every website; token_id is then empty).
struct Caller {
    std::string account_id;
    std::string token_id;
    Scope scope;
};

} // namespace tokend::core
