// Envelope writers.
#include "http/envelope.hpp"

#include "http/rate_limit_headers.hpp"

namespace tokend::http {

using core::ErrorCode;

int status_for(ErrorCode code) {
    switch (code) {
    case ErrorCode::InvalidInput:
        return 400;
    case ErrorCode::Unauthenticated:
    case ErrorCode::InvalidToken:
        return 401;
    case ErrorCode::Forbidden:
        return 403;
    case ErrorCode::NotFound:
        return 404;
    case ErrorCode::Conflict:
        return 409;
    case ErrorCode::TooLarge:
        return 413;
    case ErrorCode::UnsupportedMedia:
        return 415;
    case ErrorCode::RateLimited:
        return 429;
    case ErrorCode::Unprocessable:
        return 422;
    case ErrorCode::Unavailable:
        return 503;
    }
    return 500;
}

void write_success(httplib::Response& res, Json data) {
    Json body = {{"status", "success"}, {"data", std::move(data)}};
    res.status = 200;
    res.set_content(body.dump(), "application/json");
}

void write_page(httplib::Response& res, Json data, Json pagination) {
    Json body = {
        {"status", "success"}, {"data", std::move(data)}, {"pagination", std::move(pagination)}};
    res.status = 200;
    res.set_content(body.dump(), "application/json");
}

void write_protocol_json(httplib::Response& res, const Json& body) {
    res.status = 200;
    res.set_content(body.dump(), "application/json");
}

void write_error(httplib::Response& res, int status, const std::string& message) {
    Json body = {{"status", "error"}, {"error", {{"code", status}, {"message", message}}}};
    res.status = status;
    // Replace, never append: handlers may have set headers before failing.
    res.set_content(body.dump(-1, ' ', false, Json::error_handler_t::replace), "application/json");
    if (status == 401 && !res.has_header("WWW-Authenticate")) {
        res.set_header("WWW-Authenticate", "Bearer");
    }
}

void write_error(httplib::Response& res, const core::Error& error) {
    int status = status_for(error.code());
    if (error.reason() == core::Reason::Expired) {
        res.set_header("WWW-Authenticate", "Bearer error=\"invalid_token\", "
                                           "error_description=\"The access token expired\"");
    } else if (error.code() == ErrorCode::InvalidToken) {
        res.set_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    }
    if (error.reason() != core::Reason::None) {
        res.set_header("X-Tokend-Reason", std::string(core::reason_name(error.reason())));
    }
    set_rate_limit_headers(res, error);
    if (error.retry_after() > 0) {
        res.set_header("Retry-After", std::to_string(error.retry_after()));
    }
    write_error(res, status, error.what());
}

} // namespace tokend::http
