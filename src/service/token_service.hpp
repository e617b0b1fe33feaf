// Access tokens (SPEC §6, §11): listing, creating, rotating, changing and revoking, with every
// scope rule of §5 and the lifetime rules of §11.2 (a new key never outlives its caller).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/ip_range.hpp"
#include "core/lifetime.hpp"
#include "core/types.hpp"
#include "crypto/token_hasher.hpp"
#include "service/usage_recorder.hpp"
#include "store/store.hpp"

namespace tokend::service {

// The server's token policies (serve flags).
struct TokenPolicy {
    int max_tokens_per_account = 20;
    std::optional<std::chrono::seconds> max_lifetime;   // --max-token-lifetime
    std::chrono::seconds expired_retention{30 * 86400}; // --expired-token-retention
};

// An expiresAt as the client sent it: absent (nullopt), null (optional(nullopt)) or a moment.
using RequestedExpiry = std::optional<core::Expiry>;

// A create request after parsing: each field is absent (nullopt) when the caller omitted it.
// Values are already validated for shape (names normalised, permissions known, ids well formed).
struct TokenRequest {
    std::optional<std::optional<std::string>> name;
    std::optional<core::Permissions> permissions;
    std::optional<std::vector<std::string>> website_ids;
    std::optional<core::IpRanges> allowed_ips;                // SPEC §11.6
    std::optional<std::optional<core::RateLimit>> rate_limit; // SPEC §11.7; null = none
    RequestedExpiry expires_at;
};

inline constexpr int kMaxGraceSeconds = 7 * 86400;

struct RotateRequest {
    int grace_seconds = 0;      // 0..kMaxGraceSeconds, checked at the edge
    RequestedExpiry expires_at; // absent = keep
};

// A PATCH after parsing; absent fields are left alone.
struct TokenChanges {
    std::optional<std::optional<std::string>> name;
    RequestedExpiry expires_at;
    std::optional<std::vector<std::string>> allowed_ips;      // normalized CIDRs
    std::optional<std::optional<core::RateLimit>> rate_limit; // null = no limit
};

struct CreatedToken {
    core::AccessToken token;
    std::string key; // the raw token: returned once, never stored
};

class TokenService {
public:
    TokenService(store::Store& store, const crypto::TokenHasher& hasher, UsageRecorder& usage,
                 TokenPolicy policy, core::Clock clock);

    std::vector<core::AccessToken> list(const core::Caller& caller);
    CreatedToken create(const core::Caller& caller, const TokenRequest& request);
    void revoke(const core::Caller& caller, const std::string& token_id);
    // The CLI's revoke: any live token by id, no caller (the operator owns the data dir).
    void revoke_any(const std::string& token_id);

    // SPEC §11.3. By id needs api-keys:write and a target that does not exceed the caller;
    // self rotates the calling token; any is the CLI's (no caller).
    CreatedToken rotate(const core::Caller& caller, const std::string& token_id,
                        const RotateRequest& request);
    CreatedToken rotate_self(const core::Caller& caller, const RotateRequest& request);
    CreatedToken rotate_any(const std::string& token_id, const RotateRequest& request);

    // SPEC §11.4: the calling token itself; no permission needed.
    core::AccessToken self(const core::Caller& caller);
    void revoke_self(const core::Caller& caller);

    // SPEC §11.5.
    core::AccessToken change(const core::Caller& caller, const std::string& token_id,
                             const TokenChanges& changes);

    // Deletes tokens expired longer than the retention; returns how many.
    int purge_expired();

private:
    core::Scope requested_scope(const core::Caller& caller, const TokenRequest& request);
    core::LifetimeLimits limits_for(const core::Caller* caller, core::TimePoint now) const;
    core::Expiry chosen_expiry(const core::LifetimeLimits& limits, const RequestedExpiry& requested,
                               core::Expiry fallback) const;
    CreatedToken rotate_checked(const core::Caller* caller, const std::string& id,
                                const RotateRequest& request);
    void revoke_logged(const std::string& id, const core::AuditActor& actor,
                       const core::Origin& origin, std::string_view via);
    void check_explicit_expiry(const core::LifetimeLimits& limits, core::Expiry requested,
                               bool policy_applies) const;

    store::Store& m_store;
    const crypto::TokenHasher& m_hasher;
    UsageRecorder& m_usage;
    TokenPolicy m_policy;
    core::Clock m_clock;
};

// The caller's own token for the §11.4 routes; NotFound for a session (it has no token).
std::string calling_token_id(const core::Caller& caller);
// token.revoked's details.via for a caller: admin_page for a session, api for a token.
std::string_view revoke_via(const core::Caller& caller);

} // namespace tokend::service
