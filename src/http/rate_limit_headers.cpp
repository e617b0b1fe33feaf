// RateLimit header writers.
#include "http/rate_limit_headers.hpp"

#include "core/rate_limit_exceeded.hpp"

namespace tokend::http {

void set_rate_limit_headers(httplib::Response& res,
                            const std::optional<core::RateLimitStatus>& status) {
    if (!status) {
        return;
    }
    res.set_header("RateLimit-Policy", "\"token\";q=" + std::to_string(status->policy.limit) +
                                           ";w=" + std::to_string(status->policy.window_seconds));
    res.set_header("RateLimit", "\"token\";r=" + std::to_string(status->remaining) +
                                    ";t=" + std::to_string(status->reset_seconds));
}

void set_rate_limit_headers(httplib::Response& res, const core::Error& error) {
    if (const auto* exceeded = dynamic_cast<const core::RateLimitExceeded*>(&error)) {
        set_rate_limit_headers(res, exceeded->status());
    }
}

} // namespace tokend::http
