// The one error type services throw. It carries a code (mapped to an HTTP status in one place,
// http/error_writer) and a message that is always safe to show a client.
#pragma once

#include <stdexcept>
#include <string>

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
    Unavailable, // e.g. the database does not answer
};

class Error : public std::runtime_error {
public:
    Error(ErrorCode code, const std::string& message, int retry_after_seconds = 0)
        : std::runtime_error(message), m_code(code), m_retry_after(retry_after_seconds) {}

    ErrorCode code() const { return m_code; }
    // Seconds a throttled client should wait (RateLimited only).
    int retry_after() const { return m_retry_after; }

private:
    ErrorCode m_code;
    int m_retry_after;
};

[[noreturn]] inline void fail(ErrorCode code, const std::string& message) {
    throw Error(code, message);
}

} // namespace tokend::core
