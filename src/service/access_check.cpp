// The gate check: the permission asked about, the token, then the website rule of SPEC §5.
#include "service/access_check.hpp"

#include "core/access.hpp"
#include "core/error.hpp"
#include "core/object_id.hpp"
#include "core/rate_limit_exceeded.hpp"
#include "core/validate.hpp"
#include "service/ids.hpp"
#include "store/websites.hpp"

namespace tokend::service {

using core::ErrorCode;

namespace {
core::Permission permission_asked(std::string_view text) {
    if (text.empty()) {
        core::fail(ErrorCode::InvalidInput,
                   "Say which permission to check: ?permission=NAME or the header "
                   "X-Tokend-Permission: NAME.");
    }
    auto permission = core::parse_permission(text);
    if (!permission) {
        auto quoted = core::quote_for_message(text);
        core::fail(ErrorCode::InvalidInput, "permission is not a known permission" +
                                                (quoted.empty() ? "" : " (" + quoted + ")") +
                                                "; use a name such as analytics:read.");
    }
    return *permission;
}

// nginx auth_request understands only 2xx, 401 and 403, and the gate must keep the client's
// Retry-After: a throttled client is refused, never told "too many requests". Every refusal
// names its reason (SPEC §11.9).
core::Caller authenticate_for_gate(Authenticator& authenticator, std::string_view authorization,
                                   const core::Origin& origin) {
    try {
        return authenticator.authenticate(authorization, origin);
    } catch (const core::RateLimitExceeded& over_limit) {
        throw over_limit.as_gate_refusal();
    } catch (const core::Error& error) {
        if (error.code() == ErrorCode::RateLimited) {
            throw core::Error(ErrorCode::Forbidden, error.what(), error.retry_after(),
                              core::Reason::Throttled);
        }
        bool unauthenticated =
            error.code() == ErrorCode::Unauthenticated || error.code() == ErrorCode::InvalidToken;
        if (unauthenticated && error.reason() == core::Reason::None) {
            throw core::Error(error.code(), error.what(), 0, core::Reason::InvalidToken);
        }
        throw;
    }
}

[[noreturn]] void refuse(const std::string& message, core::Reason reason) {
    throw core::Error(ErrorCode::Forbidden, message, 0, reason);
}
} // namespace

CheckAnswer AccessCheck::check(const CheckRequest& request, const core::Origin& origin) {
    core::Permission needed = permission_asked(request.permission);
    core::Caller caller = authenticate_for_gate(m_authenticator, request.authorization, origin);
    if (!core::holds(caller.scope.permissions, needed)) {
        refuse("This token does not have the " + std::string(core::permission_name(needed)) +
                   " permission.",
               core::Reason::InsufficientPermission);
    }
    if (!request.website_id.empty()) {
        require_website_access(caller, request.website_id, needed);
    }
    return {std::move(caller.account_id), std::move(caller.token_id),
            std::move(caller.scope.permissions), caller.rate_limit, std::move(caller.expires_at)};
}

void AccessCheck::require_website_access(const core::Caller& caller, std::string_view website_id,
                                         core::Permission needed) {
    // A malformed id is refused like any website out of reach: the client may control it, and
    // a 400 would reach it as nginx's 500.
    if (!core::is_object_id(website_id)) {
        refuse("websiteId must be a 24-hex-digit website id.", core::Reason::WebsiteForbidden);
    }
    std::string id = parse_id(website_id, "websiteId");
    auto memberships = m_store.read([&](store::Connection& c) {
        return store::websites::membership_on(c, caller.account_id, id);
    });
    auto verdict = core::decide(caller.scope, memberships, id, core::gate_operation(needed));
    if (verdict == core::Verdict::RoleTooLow) {
        refuse("Your role on website " + id + " does not allow " +
                   std::string(core::permission_name(needed)) + ".",
               core::Reason::WebsiteForbidden);
    }
    if (verdict != core::Verdict::Allowed) {
        refuse("This token does not have access to website " + id + ".",
               core::Reason::WebsiteForbidden);
    }
}

} // namespace tokend::service
