// The refusal of a token over its rateLimit (SPEC §11.7). It carries the token's standing so the
// one error writer can add RateLimit-Policy and RateLimit beside Retry-After.
#pragma once

#include "core/error.hpp"
#include "core/types.hpp"

namespace tokend::core {

class RateLimitExceeded : public Error {
public:
    RateLimitExceeded(ErrorCode code, RateLimitStatus status)
        : Error(code, "Rate limit exceeded for this token.", static_cast<int>(status.reset_seconds),
                Reason::RateLimited),
          m_status(status) {}

    const RateLimitStatus& status() const { return m_status; }
    // The gate answers 403, never 429 (nginx auth_request turns 429 into 500).
    RateLimitExceeded as_gate_refusal() const { return {ErrorCode::Forbidden, m_status}; }

private:
    RateLimitStatus m_status;
};

} // namespace tokend::core
