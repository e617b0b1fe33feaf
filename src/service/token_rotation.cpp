// Rotation (SPEC §11.3) and changes (§11.5). Each decides and writes inside one write job, so
// it reads the row it changes in the same transaction and is one durable write: with grace 0
// the old key fails on every reader as soon as the response can be sent.
#include "core/access.hpp"
#include "core/error.hpp"
#include "core/expiry.hpp"
#include "core/token_format.hpp"
#include "crypto/random.hpp"
#include "service/audit.hpp"
#include "service/guard.hpp"
#include "service/ids.hpp"
#include "service/token_service.hpp"
#include "service/usage_policy.hpp"
#include "store/tokens.hpp"

namespace tokend::service {

using core::ErrorCode;

namespace {
// The 404 rules of DELETE: unknown, revoked and another account's token look the same.
core::AccessToken live_target(store::Connection& c, const std::string& id,
                              const core::Caller* caller) {
    auto target = store::tokens::by_id(c, id);
    if (!target || target->revoked_at || (caller && target->account_id != caller->account_id)) {
        core::fail(ErrorCode::NotFound, "Access token not found.");
    }
    return *target;
}

// Addresses count as access here (SPEC §11.6): a caller held to a list must not mint a key for,
// or change, a token usable from further afield.
void require_not_exceeding(const core::AccessToken& target, const core::Caller* caller,
                           const char* action) {
    bool wider = caller && (!core::does_not_exceed(target.scope, caller->scope) ||
                            !core::lies_within(core::parse_stored_ranges(target.allowed_ips),
                                               core::parse_stored_ranges(caller->allowed_ips)));
    if (wider) {
        core::fail(ErrorCode::Forbidden, std::string("This token has more access than yours, so "
                                                     "your token cannot ") +
                                             action + " it.");
    }
}

// token.updated's details: which fields the PATCH carried (names only, never values).
core::AuditDetails changed_fields(const TokenChanges& changes) {
    std::string fields;
    auto add = [&fields](bool present, const char* name) {
        if (present) {
            fields += fields.empty() ? name : std::string(",") + name;
        }
    };
    add(changes.name.has_value(), "name");
    add(changes.expires_at.has_value(), "expiresAt");
    add(changes.allowed_ips.has_value(), "allowedIps");
    add(changes.rate_limit.has_value(), "rateLimit");
    return {{"fields", fields}};
}

core::Expiry expiry_of(const core::AccessToken& token) {
    return token.expires_at ? core::parse_timestamp(*token.expires_at) : std::nullopt;
}
} // namespace

CreatedToken TokenService::rotate(const core::Caller& caller, const std::string& token_id,
                                  const RotateRequest& request) {
    require_permission(caller, core::Permission::ApiKeysWrite);
    return rotate_checked(&caller, parse_id(token_id, "tokenId"), request);
}

CreatedToken TokenService::rotate_self(const core::Caller& caller, const RotateRequest& request) {
    return rotate_checked(&caller, calling_token_id(caller), request);
}

CreatedToken TokenService::rotate_any(const std::string& token_id, const RotateRequest& request) {
    return rotate_checked(nullptr, parse_id(token_id, "tokenId"), request);
}

CreatedToken TokenService::rotate_checked(const core::Caller* caller, const std::string& id,
                                          const RotateRequest& request) {
    CreatedToken rotated;
    rotated.key = crypto::new_token();
    auto digest = m_hasher.hash(rotated.key);
    m_store.write([&](store::Connection& c) {
        auto now = m_clock();
        std::string now_text = core::format_timestamp(now);
        core::AccessToken t = live_target(c, id, caller);
        require_not_exceeding(t, caller, "rotate");
        bool new_moment = request.expires_at && *request.expires_at;
        if (core::is_expired(t, now_text) && !new_moment) {
            core::fail(ErrorCode::InvalidInput, "expiresAt is required to rotate an expired "
                                                "token: send a new moment in the future.");
        }
        // Rotating mints a key, so the caller's lifetime and the policy bind the kept value too.
        auto expiry = chosen_expiry(limits_for(caller, now), request.expires_at, expiry_of(t));
        auto hashes = store::tokens::key_hashes(c, id).value();
        store::tokens::KeyHashes next{digest, std::nullopt};
        bool current_used = t.current_key_used || m_usage.used_unflushed(id, hashes.current);
        if (core::previous_key_works(t, now_text) && !current_used) {
            // Lost response: the unused key is replaced; the old key keeps its own deadline.
            next.previous = hashes.previous;
        } else if (request.grace_seconds > 0) {
            next.previous = hashes.current;
            t.previous_expires_at =
                core::format_timestamp(now + std::chrono::seconds(request.grace_seconds));
        } else {
            t.previous_expires_at = std::nullopt;
        }
        t.display_key = core::display_key(rotated.key);
        t.rotated_at = now_text;
        t.expires_at = expiry ? std::optional(core::format_timestamp(*expiry)) : std::nullopt;
        store::tokens::rotate(c, t, next);
        rotated.token = store::tokens::by_id(c, id).value();
        auto event = caller ? audit::by_caller("token.rotated", *caller, now_text)
                            : audit::make("token.rotated", audit::cli_actor(), {},
                                          rotated.token.account_id, now_text);
        audit::about_token(event, rotated.token);
        event.details = {{"graceSeconds", std::to_string(request.grace_seconds)}};
        audit::record(c, event);
    });
    return rotated;
}

core::AccessToken TokenService::change(const core::Caller& caller, const std::string& token_id,
                                       const TokenChanges& changes) {
    require_permission(caller, core::Permission::ApiKeysWrite);
    std::string id = parse_id(token_id, "tokenId");
    return m_store.write([&](store::Connection& c) {
        auto now = m_clock();
        core::AccessToken t = live_target(c, id, &caller);
        require_not_exceeding(t, &caller, "change");
        if (changes.name) {
            t.name = *changes.name;
        }
        if (changes.expires_at) {
            if (core::is_expired(t, core::format_timestamp(now))) {
                core::fail(ErrorCode::InvalidInput,
                           "expiresAt cannot bring back an expired token: rotate it with a new "
                           "expiresAt instead, so that it gets a new key.");
            }
            core::Expiry requested = *changes.expires_at;
            core::Expiry current = expiry_of(t);
            // Shortening is always allowed; anything later must fit the policy (SPEC §11.5).
            bool earlier = requested && (!current || *requested <= *current);
            check_explicit_expiry(limits_for(&caller, now), requested, !earlier);
            t.expires_at =
                requested ? std::optional(core::format_timestamp(*requested)) : std::nullopt;
        }
        if (changes.allowed_ips) {
            // [] = the caller's list; 403 if wider than it.
            t.allowed_ips =
                allowed_ips_for(caller, core::parse_stored_ranges(*changes.allowed_ips));
        }
        if (changes.rate_limit) {
            t.rate_limit = *changes.rate_limit;
        }
        store::tokens::update(c, t);
        auto changed = store::tokens::by_id(c, id).value();
        auto event = audit::by_caller("token.updated", caller, core::format_timestamp(now));
        audit::about_token(event, changed);
        event.details = changed_fields(changes);
        audit::record(c, event);
        return changed;
    });
}

} // namespace tokend::service
