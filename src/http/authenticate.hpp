// Who is calling: a bearer token (Authorization header) or, for the admin page, a session
// cookie — whose writes must come from the same origin, so other sites cannot drive them.
#pragma once

#include <httplib.h>

#include <optional>
#include <string>

#include "core/types.hpp"
#include "service/authenticator.hpp"
#include "service/session_service.hpp"

namespace tokend::http {

inline constexpr const char* kSessionCookie = "tokend_session";

std::optional<std::string> session_cookie(const httplib::Request& req);
// Throws Forbidden when a cookie-authenticated write has no Origin or a foreign one.
void require_same_origin(const httplib::Request& req);

// `origin` is where the request came from (http/client_address.hpp).
core::Caller authenticate(const httplib::Request& req, const core::Origin& origin,
                          service::Authenticator& tokens, service::SessionService& sessions);

} // namespace tokend::http
