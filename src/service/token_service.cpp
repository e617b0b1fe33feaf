// Token rules: permissions and websites never exceed the caller; the per-account limit.
#include "service/token_service.hpp"

#include <algorithm>

#include "core/access.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/object_id.hpp"
#include "core/token_format.hpp"
#include "crypto/random.hpp"
#include "service/guard.hpp"
#include "service/ids.hpp"
#include "service/usage_policy.hpp"
#include "store/tokens.hpp"
#include "store/websites.hpp"

namespace tokend::service {

using core::ErrorCode;

TokenService::TokenService(store::Store& store, const crypto::TokenHasher& hasher,
                           int max_tokens_per_account, core::Clock clock)
    : m_store(store), m_hasher(hasher), m_max_tokens(max_tokens_per_account),
      m_clock(std::move(clock)) {}

std::vector<core::AccessToken> TokenService::list(const core::Caller& caller) {
    require_permission(caller, core::Permission::ApiKeysRead);
    return m_store.read(
        [&](store::Connection& c) { return store::tokens::live_of_account(c, caller.account_id); });
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
    CreatedToken created;
    created.token.scope = requested_scope(caller, request);
    created.key = crypto::new_token();
    created.token.id = new_object_id();
    created.token.account_id = caller.account_id;
    created.token.name = request.name.value_or(std::nullopt);
    created.token.allowed_ips = allowed_ips_for(caller, request.allowed_ips);
    created.token.rate_limit = request.rate_limit.value_or(std::nullopt);
    created.token.display_key = core::display_key(created.key);
    created.token.created_at = core::format_timestamp(m_clock());
    auto digest = m_hasher.hash(created.key);
    // Count and insert in one write transaction so concurrent creates cannot pass the limit.
    m_store.write([&](store::Connection& c) {
        if (store::tokens::live_count(c, caller.account_id, created.token.created_at) >=
            m_max_tokens) {
            core::fail(ErrorCode::InvalidInput,
                       "Token limit reached: an account can have at most " +
                           std::to_string(m_max_tokens) + " active tokens. Delete one first.");
        }
        store::tokens::insert(c, created.token, digest);
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
    revoke_any(id);
}

void TokenService::revoke_any(const std::string& token_id) {
    std::string id = parse_id(token_id, "tokenId");
    bool revoked = m_store.write([&](store::Connection& c) {
        return store::tokens::revoke(c, id, core::format_timestamp(m_clock()));
    });
    if (!revoked) {
        core::fail(ErrorCode::NotFound, "Access token not found.");
    }
}

} // namespace tokend::service
