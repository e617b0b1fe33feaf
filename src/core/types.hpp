// The domain records of SPEC §2 and the authenticated caller, as plain values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/audit_event.hpp"
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

// A per-token request limit (SPEC §11.7): at most `limit` requests per `window_seconds`.
struct RateLimit {
    // The bounds both edges accept (the API's rateLimit field and the CLI's --rate-limit).
    static constexpr int kMaxLimit = 1'000'000;
    static constexpr int kMaxWindowSeconds = 86'400; // one day

    int limit = 0;
    int window_seconds = 0;
    bool operator==(const RateLimit&) const = default;
};

// One request's standing against its token's rateLimit, for the RateLimit headers: requests
// left in the window and whole seconds until it closes.
struct RateLimitStatus {
    RateLimit policy;
    long long remaining = 0;
    long long reset_seconds = 0;
};

// Timestamps are normalized ISO-8601 UTC strings with milliseconds (core/clock.hpp), so they
// compare in time order as strings.
struct AccessToken {
    std::string id;
    std::string account_id;
    std::optional<std::string> name;
    std::string display_key;
    Scope scope;
    std::string created_at;
    std::optional<std::string> last_used_at;
    std::optional<std::string> revoked_at;
    std::optional<std::string> expires_at;          // nullopt = never expires
    std::optional<std::string> rotated_at;          // the last rotation
    std::optional<std::string> previous_expires_at; // while set, the rotated-away key may work
    std::vector<std::string> allowed_ips;           // normalized CIDRs; empty = any address
    std::optional<RateLimit> rate_limit;
    std::optional<std::string> last_used_ip;
    // The current key has authenticated since the last rotation (as flushed to the database;
    // the usage recorder knows about newer uses).
    bool current_key_used = false;
};

// Who is making a request: an account acting through one token's scope (or, for an admin-page
// session, with full access: `*` on every website; token_id is then empty).
struct Caller {
    std::string account_id;
    std::string token_id;
    Scope scope;
    std::optional<std::string> expires_at;     // the calling token's; a session never expires here
    std::vector<std::string> allowed_ips;      // the calling token's; a session has none (any)
    std::optional<RateLimitStatus> rate_limit; // this request's standing, when the token has one
    Origin origin;    // where the request came from, for the audit log (SPEC §12)
    bool cli = false; // the operator at the command line (audited as actor type cli)
};

} // namespace tokend::core
