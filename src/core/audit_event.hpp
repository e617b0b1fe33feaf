// The audit log's record (SPEC §12) and "who and from where" a change came: plain values, no
// storage or HTTP. Details are a flat object of strings; none of them is ever a raw secret.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tokend::core {

// Where a request came from, as the front door saw it (the client address honours
// --trusted-proxy; the user agent is already truncated to kMaxUserAgent).
struct Origin {
    std::string ip;
    std::string user_agent;
    std::string request_id;
};

inline constexpr std::size_t kMaxUserAgent = 256;
// At most kMaxUserAgent bytes, cut at a UTF-8 character boundary, control characters dropped.
std::string truncate_user_agent(std::string_view text);

enum class ActorType { Token, Session, Cli, System, Anonymous };
std::string_view actor_type_name(ActorType type);
std::optional<ActorType> parse_actor_type(std::string_view text);

struct AuditActor {
    ActorType type = ActorType::Anonymous;
    std::optional<std::string> id;         // token id; the account id for a session
    std::optional<std::string> account_id; // whose credential acted
};

struct AuditTarget {
    std::string type; // "token", "account", "website", "member", "session", "setup"
    std::optional<std::string> id;
    std::optional<std::string> name;
    std::optional<std::string> display_key;
};

using AuditDetails = std::vector<std::pair<std::string, std::string>>;

struct AuditEvent {
    std::string id;
    std::string created_at;
    std::string event;                     // e.g. "token.created"
    bool success = true;                   // outcome: success / denied
    std::optional<std::string> account_id; // whose log it is in
    std::optional<std::string> token_id;   // for the tokenId filter
    AuditActor actor;
    std::optional<AuditTarget> target;
    std::optional<std::string> ip;
    std::optional<std::string> user_agent;
    std::optional<std::string> request_id;
    AuditDetails details;
};

inline std::string_view outcome_name(bool success) {
    return success ? "success" : "denied";
}

// The event names of SPEC §12, in its order; the only ones ever written.
inline constexpr std::string_view kAuditEventNames[] = {
    "token.created",         "token.rotated",
    "token.updated",         "token.revoked",
    "token.expired_purged",  "token.ip_denied",
    "token.rate_limited",    "token.used_from_new_address",
    "account.created",       "account.password_set",
    "website.created",       "website.updated",
    "website.deleted",       "member.added",
    "member.removed",        "session.signed_in",
    "session.signin_failed", "session.signed_out",
    "setup.completed"};
bool is_audit_event_name(std::string_view name);

// details <-> the JSON text stored in the details column (an object of string values).
std::string details_to_json(const AuditDetails& details);
AuditDetails details_from_json(std::string_view text);

} // namespace tokend::core
