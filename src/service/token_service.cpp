// Token rules: permissions and websites never exceed the caller, a new key never outlives it;
// the per-account limit; the token itself (SPEC §11.4) and the purge of long-expired tokens.
#include "service/token_service.hpp"

#include <algorithm>

#include "core/access.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/object_id.hpp"
#include "core/token_format.hpp"
#include "crypto/random.hpp"
#include "service/audit.hpp"
#include "service/guard.hpp"
#include "service/ids.hpp"
#include "service/usage_policy.hpp"
#include "store/accounts.hpp"
#include "store/audit_events.hpp"
#include "store/tokens.hpp"
#include "store/websites.hpp"

namespace tokend::service {

using core::ErrorCode;

namespace {
std::optional<std::string> to_text(core::Expiry expiry) {
    return expiry ? std::optional(core::format_timestamp(*expiry)) : std::nullopt;
}
} // namespace

std::string_view revoke_via(const core::Caller& caller) {
    return caller.token_id.empty() ? "admin_page" : "api";
}

std::string calling_token_id(const core::Caller& caller) {
    if (caller.token_id.empty()) {
        core::fail(ErrorCode::NotFound, "This request is signed in with a session, not an access "
                                        "token, so there is no token itself.");
    }
    return caller.token_id;
}

TokenService::TokenService(store::Store& store, const crypto::TokenHasher& hasher,
                           UsageRecorder& usage, TokenPolicy policy, core::Clock clock)
    : m_store(store), m_hasher(hasher), m_usage(usage), m_policy(policy),
      m_clock(std::move(clock)) {}

std::vector<core::AccessToken> TokenService::list(const core::Caller& caller) {
    require_permission(caller, core::Permission::ApiKeysRead);
    return m_store.read(
        [&](store::Connection& c) { return store::tokens::live_of_account(c, caller.account_id); });
}

core::LifetimeLimits TokenService::limits_for(const core::Caller* caller,
                                              core::TimePoint now) const {
    core::LifetimeLimits limits{now, m_policy.max_lifetime, std::nullopt};
    if (caller && caller->expires_at) {
        limits.caller_expires_at = core::parse_timestamp(*caller->expires_at);
    }
    return limits;
}

void TokenService::check_explicit_expiry(const core::LifetimeLimits& limits, core::Expiry requested,
                                         bool policy_applies) const {
    auto check = core::check_requested_expiry(limits, requested, policy_applies);
    std::string latest = core::format_timestamp(check.latest);
    switch (check.problem) {
    case core::ExpiryProblem::None:
        return;
    case core::ExpiryProblem::NotInFuture:
        core::fail(ErrorCode::InvalidInput, "expiresAt must be in the future.");
    case core::ExpiryProblem::BeyondPolicy:
        core::fail(ErrorCode::InvalidInput,
                   "expiresAt must be on or before " + latest +
                       " (this server's maximum token lifetime is " +
                       std::to_string(m_policy.max_lifetime->count() / 86400) + " days).");
    case core::ExpiryProblem::OutlivesCaller:
        core::fail(ErrorCode::Forbidden, "expiresAt must be on or before " + latest +
                                             ": a token cannot outlive the token that grants it.");
    }
}

core::Expiry TokenService::chosen_expiry(const core::LifetimeLimits& limits,
                                         const RequestedExpiry& requested,
                                         core::Expiry fallback) const {
    if (!requested) {
        return core::default_expiry(limits, fallback);
    }
    if (!*requested) {
        // null: "never", unless a policy or the caller's own expiry sets a limit (SPEC §11.2).
        return core::default_expiry(limits, std::nullopt);
    }
    check_explicit_expiry(limits, *requested, true);
    return *requested;
}

core::Scope TokenService::requested_scope(const core::Caller& caller, const TokenRequest& request) {
    core::Scope scope = caller.scope;
    if (request.permissions) {
        if (request.permissions->empty()) {
            core::fail(ErrorCode::InvalidInput,
                       "permissions must not be empty; omit it to copy yours.");
        }
        scope.permissions = core::normalize_permissions(*request.permissions);
        for (core::Permission p : scope.permissions) {
            if (!core::holds(caller.scope.permissions, p)) {
                core::fail(ErrorCode::Forbidden, "You cannot grant the permission " +
                                                     std::string(core::permission_name(p)) +
                                                     " because your token does not hold it.");
            }
        }
    }
    if (request.website_ids && !request.website_ids->empty()) {
        auto memberships = m_store.read([&](store::Connection& c) {
            return store::websites::memberships_of(c, caller.account_id);
        });
        scope.website_ids.clear();
        for (const auto& id : *request.website_ids) {
            if (!core::can_reach(caller.scope, memberships, id)) {
                core::fail(ErrorCode::Forbidden, "You do not have access to website " + id + ".");
            }
            if (std::find(scope.website_ids.begin(), scope.website_ids.end(), id) ==
                scope.website_ids.end()) {
                scope.website_ids.push_back(id);
            }
        }
    }
    // The rules above imply this; checked again because escalation is the one bug we cannot ship.
    if (!core::does_not_exceed(scope, caller.scope)) {
        core::fail(ErrorCode::Forbidden, "The new token would have more access than yours.");
    }
    return scope;
}

CreatedToken TokenService::create(const core::Caller& caller, const TokenRequest& request) {
    require_permission(caller, core::Permission::ApiKeysWrite);
    auto now = m_clock();
    CreatedToken created;
    created.token.scope = requested_scope(caller, request);
    created.token.expires_at =
        to_text(chosen_expiry(limits_for(&caller, now), request.expires_at, std::nullopt));
    created.key = crypto::new_token();
    created.token.id = new_object_id();
    created.token.account_id = caller.account_id;
    created.token.name = request.name.value_or(std::nullopt);
    created.token.allowed_ips = allowed_ips_for(caller, request.allowed_ips);
    created.token.rate_limit = request.rate_limit.value_or(std::nullopt);
    created.token.display_key = core::display_key(created.key);
    created.token.created_at = core::format_timestamp(now);
    auto digest = m_hasher.hash(created.key);
    // Count and insert in one write transaction, the account locked (other nodes on the same
    // database wait), so concurrent creates cannot pass the limit.
    m_store.write([&](store::Connection& c) {
        store::accounts::lock(c, caller.account_id);
        if (store::tokens::live_count(c, caller.account_id, created.token.created_at) >=
            m_policy.max_tokens_per_account) {
            core::fail(ErrorCode::InvalidInput,
                       "Token limit reached: an account can have at most " +
                           std::to_string(m_policy.max_tokens_per_account) +
                           " active tokens. Delete one first.");
        }
        store::tokens::insert(c, created.token, digest);
        auto event = audit::by_caller("token.created", caller, created.token.created_at);
        audit::about_token(event, created.token);
        audit::record(c, event);
    });
    return created;
}

void TokenService::revoke(const core::Caller& caller, const std::string& token_id) {
    require_permission(caller, core::Permission::ApiKeysWrite);
    std::string id = parse_id(token_id, "tokenId");
    auto target = m_store.read([&](store::Connection& c) { return store::tokens::by_id(c, id); });
    // Unknown, already revoked and another account's token get the same answer.
    if (!target || target->revoked_at || target->account_id != caller.account_id) {
        core::fail(ErrorCode::NotFound, "Access token not found.");
    }
    if (!core::does_not_exceed(target->scope, caller.scope)) {
        core::fail(ErrorCode::Forbidden,
                   "This token has more access than yours, so your token cannot delete it.");
    }
    revoke_logged(id, audit::actor_of(caller), caller.origin, revoke_via(caller));
}

void TokenService::revoke_any(const std::string& token_id) {
    revoke_logged(parse_id(token_id, "tokenId"), audit::cli_actor(), {}, "cli");
}

void TokenService::revoke_logged(const std::string& id, const core::AuditActor& actor,
                                 const core::Origin& origin, std::string_view via) {
    // Revocation is the row's: it ends the current and a rotated-away key at once.
    bool revoked = m_store.write([&](store::Connection& c) {
        std::string now = core::format_timestamp(m_clock());
        auto target = store::tokens::by_id(c, id);
        if (!target || !store::tokens::revoke(c, id, now)) {
            return false;
        }
        auto event = audit::make("token.revoked", actor, origin, target->account_id, now);
        audit::about_token(event, *target);
        event.details = {{"via", std::string(via)}};
        audit::record(c, event);
        return true;
    });
    if (!revoked) {
        core::fail(ErrorCode::NotFound, "Access token not found.");
    }
}

core::AccessToken TokenService::self(const core::Caller& caller) {
    std::string id = calling_token_id(caller);
    auto token = m_store.read([&](store::Connection& c) { return store::tokens::by_id(c, id); });
    if (!token || token->revoked_at) {
        core::fail(ErrorCode::NotFound, "Access token not found.");
    }
    return *token;
}

void TokenService::revoke_self(const core::Caller& caller) {
    revoke_logged(calling_token_id(caller), audit::actor_of(caller), caller.origin, "api");
}

int TokenService::purge_expired() {
    std::string cutoff = core::format_timestamp(m_clock() - m_policy.expired_retention);
    std::string now = core::format_timestamp(m_clock());
    return m_store.write([&](store::Connection& c) {
        for (const auto& token : store::tokens::expired_before(c, cutoff)) {
            auto event = audit::make("token.expired_purged", audit::system_actor(), {},
                                     token.account_id, now);
            audit::about_token(event, token);
            audit::record(c, event);
        }
        return store::tokens::purge_expired(c, cutoff);
    });
}

} // namespace tokend::service
