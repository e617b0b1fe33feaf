// Request and check metrics: statuses and reasons mapped onto the registry's fixed series.
#include "http/request_metrics.hpp"

namespace tokend::http {

namespace {
// The gate's path, as check_routes.cpp registers it (the metrics test fails if they part).
constexpr std::string_view kCheckPattern = "/api/v1/auth/check";

// X-Tokend-Reason when the route set one (SPEC §11.9), else what the status says.
metrics::CheckReason check_reason(const httplib::Response& res, int status) {
    using metrics::CheckReason;
    if (auto it = res.headers.find("X-Tokend-Reason"); it != res.headers.end()) {
        return metrics::parse_reason(it->second);
    }
    switch (status) {
    case 204:
        return CheckReason::Allowed;
    case 401:
        return CheckReason::InvalidToken;
    case 403:
        // A throttled client gets 403 with Retry-After (SPEC §6); a refusal has none.
        return res.has_header("Retry-After") ? CheckReason::Throttled : CheckReason::Forbidden;
    case 400:
        return CheckReason::BadRequest;
    default:
        return CheckReason::Error;
    }
}
} // namespace

metrics::RouteSeries& series_for(std::string_view method, std::string_view pattern) {
    auto& series = metrics::registry().route(method, pattern);
    series.counts_checks = method == "GET" && pattern == kCheckPattern;
    return series;
}

RequestTimer::~RequestTimer() {
    if (!m_on) {
        return;
    }
    int status = std::uncaught_exceptions() > m_exceptions ? 500 : m_res.status;
    auto took = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - m_start);
    metrics::registry().record_request(m_series, status, took);
    if (m_series.counts_checks) {
        metrics::registry().record_check(check_reason(m_res, status));
    }
}

} // namespace tokend::http
