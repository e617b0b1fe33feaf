// The gate's question (GET /api/v1/auth/check, SPEC §6): may this bearer token do permission P,
// optionally on website W? Answers for nginx auth_request, so a throttled client is Forbidden.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/types.hpp"
#include "service/authenticator.hpp"
#include "store/store.hpp"

namespace tokend::service {

// Raw values as the gate received them; empty = not sent.
struct CheckRequest {
    std::string_view authorization;
    std::string_view permission;
    std::string_view website_id;
};

struct CheckAnswer {
    std::string account_id;
    std::string token_id;
    core::Permissions permissions;                   // the token's own, for the upstream to see
    std::optional<core::RateLimitStatus> rate_limit; // for the RateLimit headers (SPEC §11.9)
    std::optional<std::string> expires_at;
};

class AccessCheck {
public:
    AccessCheck(store::Store& store, Authenticator& authenticator)
        : m_store(store), m_authenticator(authenticator) {}

    // Throws InvalidInput (missing or unknown permission: the gate's configuration is wrong),
    // Unauthenticated/InvalidToken (no, bad, revoked or expired token) or Forbidden (not
    // allowed, a malformed website id, or throttled — then with a retry-after). Every 401 and
    // 403 carries a core::Reason. Counts as use of the token.
    CheckAnswer check(const CheckRequest& request, const core::Origin& origin);

private:
    void require_website_access(const core::Caller& caller, std::string_view website_id,
                                core::Permission needed);

    store::Store& m_store;
    Authenticator& m_authenticator;
};

} // namespace tokend::service
