// The one error type services throw. It carries a code (mapped to an HTTP status in one place,
// http/error_writer) and a message that is always safe to show a client.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace tokend::core {

enum class ErrorCode {
    InvalidInput,    // the request is malformed or breaks a rule; fix it and retry
    Unauthenticated, // no credentials were presented
    InvalidToken,    // credentials were presented but are wrong, revoked or malformed
    Forbidden,       // authenticated, but not allowed
    NotFound,
    Conflict,
    TooLarge,
    UnsupportedMedia,
    RateLimited,
    Unavailable,   // e.g. the database does not answer
    Unprocessable, // well-formed JSON of the wrong shape where the spec says 422 (leak reports)
};

// Why a token was refused (SPEC §11.9), for the gate's X-Tokend-Reason header and for the
// 401 that names an expired token. None: the code alone says enough.
enum class Reason {
    None,
    InvalidToken,
    Expired,
    InsufficientPermission,
    WebsiteForbidden,
    IpForbidden,
    RateLimited,
    Throttled,
};

constexpr std::string_view reason_name(Reason reason) {
    switch (reason) {
    case Reason::None:
        return "";
    case Reason::InvalidToken:
        return "invalid_token";
    case Reason::Expired:
        return "expired";
    case Reason::InsufficientPermission:
        return "insufficient_permission";
    case Reason::WebsiteForbidden:
        return "website_forbidden";
    case Reason::IpForbidden:
        return "ip_forbidden";
    case Reason::RateLimited:
        return "rate_limited";
    case Reason::Throttled:
        return "throttled";
    }
    return "";
}

class Error : public std::runtime_error {
public:
    Error(ErrorCode code, const std::string& message, int retry_after_seconds = 0,
          Reason reason = Reason::None)
        : std::runtime_error(message), m_code(code), m_retry_after(retry_after_seconds),
          m_reason(reason) {}

    ErrorCode code() const { return m_code; }
    // Seconds a throttled client should wait (RateLimited only).
    int retry_after() const { return m_retry_after; }
    Reason reason() const { return m_reason; }

private:
    ErrorCode m_code;
    int m_retry_after;
    Reason m_reason;
};

[[noreturn]] inline void fail(ErrorCode code, const std::string& message) {
    throw Error(code, message);
}

} // namespace tokend::core
