// What the router records per request (metrics/registry.hpp): status and duration under the
// route's pattern, and for the gate its outcome and X-Tokend-Reason.
#pragma once

#include <httplib.h>

#include <chrono>
#include <exception>
#include <string_view>

#include "metrics/registry.hpp"

namespace tokend::http {

// The series of one route; the gate's route also counts checks.
metrics::RouteSeries& series_for(std::string_view method, std::string_view pattern);

// Times one request from construction and records it when destroyed. A handler's exception
// escaping past it becomes the 500 that server.cpp writes, so it is counted as a 500.
class RequestTimer {
public:
    RequestTimer(metrics::RouteSeries& series, const httplib::Response& res)
        : m_series(series), m_res(res), m_on(metrics::enabled()),
          m_exceptions(std::uncaught_exceptions()),
          m_start(m_on ? Clock::now() : Clock::time_point{}) {}
    ~RequestTimer();
    RequestTimer(const RequestTimer&) = delete;
    RequestTimer& operator=(const RequestTimer&) = delete;

private:
    using Clock = std::chrono::steady_clock;
    metrics::RouteSeries& m_series;
    const httplib::Response& m_res;
    bool m_on;
    int m_exceptions;
    Clock::time_point m_start;
};

} // namespace tokend::http
