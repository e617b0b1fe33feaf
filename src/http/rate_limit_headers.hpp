// The RateLimit-Policy and RateLimit headers (IETF draft-ietf-httpapi-ratelimit-headers, as SPEC
// §11.7 shapes them) for a token with a rateLimit: on allowed answers and on refusals.
#pragma once

#include <httplib.h>

#include <optional>

#include "core/error.hpp"
#include "core/types.hpp"

namespace tokend::http {

// RateLimit-Policy: "token";q=LIMIT;w=WINDOW and RateLimit: "token";r=REMAINING;t=RESET.
void set_rate_limit_headers(httplib::Response& res,
                            const std::optional<core::RateLimitStatus>& status);
// The same for an error that is a core::RateLimitExceeded; nothing for any other error.
void set_rate_limit_headers(httplib::Response& res, const core::Error& error);

} // namespace tokend::http
