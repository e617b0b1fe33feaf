// Route matching and the one try/catch that turns core::Error into the envelope.
#include "http/router.hpp"

#include <spdlog/spdlog.h>

#include <cstdint>

#include "core/error.hpp"
#include "http/access_log.hpp"
#include "http/client_address.hpp"
#include "http/envelope.hpp"
#include "http/rate_limit_headers.hpp"
#include "http/request_metrics.hpp"
#include "service/guard.hpp"
#include "store/connection.hpp"

namespace tokend::http {

namespace {
std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> segments;
    if (path.empty() || path.front() != '/') {
        return segments;
    }
    path.remove_prefix(1);
    for (;;) {
        auto slash = path.find('/');
        segments.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos) {
            return segments;
        }
        path.remove_prefix(slash + 1);
    }
}
} // namespace

void Router::add(std::string method, const std::string& pattern,
                 std::optional<core::Permission> needs, Handler handler) {
    std::vector<std::string> segments;
    for (auto segment : split_path(pattern)) {
        segments.emplace_back(segment.starts_with('{') ? "{}" : segment);
    }
    auto* series = &series_for(method, pattern);
    m_routes.push_back({std::move(method), std::move(segments), Access::Caller, needs,
                        std::move(handler), series});
}

void Router::add_public(std::string method, const std::string& pattern, Handler handler) {
    add(std::move(method), pattern, std::nullopt, std::move(handler));
    m_routes.back().access = Access::Public;
}

std::vector<RouteEntry> Router::routes() const {
    std::vector<RouteEntry> entries;
    for (const auto& route : m_routes) {
        std::string pattern;
        for (const auto& segment : route.segments) {
            pattern += "/" + segment;
        }
        entries.push_back({route.method, pattern});
    }
    return entries;
}

bool Router::match(const Route& route, const std::vector<std::string_view>& path,
                   std::vector<std::string>& params) {
    if (route.segments.size() != path.size()) {
        return false;
    }
    params.clear();
    for (std::size_t i = 0; i < path.size(); ++i) {
        if (route.segments[i] == "{}") {
            if (path[i].empty()) {
                return false;
            }
            params.emplace_back(path[i]);
        } else if (route.segments[i] != path[i]) {
            return false;
        }
    }
    return true;
}

void Router::dispatch(const httplib::Request& req, httplib::Response& res) const {
    auto path = split_path(req.path);
    std::string_view method =
        req.method == "HEAD" ? std::string_view("GET") : std::string_view(req.method);
    // Among the routes that match the path, those with the fewest {placeholders} win, so a
    // literal segment ("…/access-tokens/self") is never read as a parameter (a malformed id).
    std::string allow;
    const Route* chosen = nullptr;
    std::size_t fewest = SIZE_MAX;
    std::vector<std::string> params;
    std::vector<std::string> chosen_params;
    for (const auto& route : m_routes) {
        if (!match(route, path, params) || params.size() > fewest) {
            continue;
        }
        if (params.size() < fewest) {
            fewest = params.size();
            chosen = nullptr;
            allow.clear();
        }
        if (route.method != method) {
            allow += allow.empty() ? route.method : ", " + route.method;
        } else if (!chosen) {
            chosen = &route;
            chosen_params = std::move(params);
        }
    }
    if (chosen) {
        run(*chosen, req, res, std::move(chosen_params));
        return;
    }
    RequestTimer timer(metrics::registry().unmatched(), res);
    if (!allow.empty()) {
        res.set_header("Allow", allow);
        write_error(res, 405, "Method " + req.method + " is not allowed here; use " + allow + ".");
        return;
    }
    write_error(res, 404, "No such endpoint. Check the method and path.");
}

void Router::run(const Route& route, const httplib::Request& req, httplib::Response& res,
                 std::vector<std::string> params) const {
    RequestTimer timer(*route.series, res);
    try {
        Exchange exchange{req, res, std::move(params), {}, m_client_address(req)};
        if (route.access == Access::Caller) {
            auto origin = origin_of(req, exchange.client);
            exchange.caller = m_authenticate(req, origin);
            exchange.caller.origin = std::move(origin);
            set_rate_limit_headers(res, exchange.caller.rate_limit); // SPEC §11.7
            // SPEC §11.2: every bearer-authenticated answer says when the token expires.
            if (exchange.caller.expires_at) {
                res.set_header("X-Tokend-Token-Expires", *exchange.caller.expires_at);
            }
        }
        if (route.needs) {
            service::require_permission(exchange.caller, *route.needs);
        }
        route.handler(exchange);
    } catch (const core::Error& error) {
        write_error(res, error);
    } catch (const store::Unavailable& error) {
        // SPEC §15: a lost database (or a commit whose outcome is unknown) is a 503, never a
        // stale answer; the reason is for the log only.
        spdlog::warn("request id={} answered 503: {}", access_log::request_id(), error.what());
        write_error(res, core::Error(core::ErrorCode::Unavailable,
                                     "The database is unavailable. Try again shortly."));
    }
}

} // namespace tokend::http
