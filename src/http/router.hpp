// The route table: method + path pattern ("/api/v1/admin/access-tokens/{id}") → handler, with
// the permission each route needs written next to it. Unknown paths get 404, known paths with
// another method 405 + Allow.
#pragma once

#include <httplib.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/types.hpp"
#include "metrics/registry.hpp"

namespace tokend::http {

// What a handler gets: the request, the response, the path's {placeholders} in order, the
// authenticated caller (for routes that require one) and the client address (SPEC §11.6).
struct Exchange {
    const httplib::Request& req;
    httplib::Response& res;
    std::vector<std::string> params;
    core::Caller caller;
    std::string client;
};

using Handler = std::function<void(Exchange&)>;
// Turns a request and where it came from into a caller or throws core::Error (401/403/429).
using Authenticate = std::function<core::Caller(const httplib::Request&, const core::Origin&)>;
// The request's client address (http/client_address.hpp).
using ClientAddressOf = std::function<std::string(const httplib::Request&)>;

enum class Access { Public, Caller };

// One row of the route table as a reader sees it; placeholders are written "{}".
struct RouteEntry {
    std::string method;
    std::string pattern;
};

class Router {
public:
    Router(Authenticate authenticate, ClientAddressOf client_address)
        : m_authenticate(std::move(authenticate)), m_client_address(std::move(client_address)) {}

    // `needs` is checked before the handler runs (services check again, so a forgotten entry
    // here can never open a route).
    void add(std::string method, const std::string& pattern, std::optional<core::Permission> needs,
             Handler handler);
    void add_public(std::string method, const std::string& pattern, Handler handler);

    void dispatch(const httplib::Request& req, httplib::Response& res) const;

    // Read-only view of the table, in registration order (the OpenAPI coverage test uses it).
    std::vector<RouteEntry> routes() const;

private:
    struct Route {
        std::string method;
        std::vector<std::string> segments; // "{}" marks a parameter
        Access access;
        std::optional<core::Permission> needs;
        Handler handler;
        metrics::RouteSeries* series; // labelled with the pattern, never the raw path
    };
    static bool match(const Route& route, const std::vector<std::string_view>& path,
                      std::vector<std::string>& params);
    void run(const Route& route, const httplib::Request& req, httplib::Response& res,
             std::vector<std::string> params) const;

    Authenticate m_authenticate;
    ClientAddressOf m_client_address;
    std::vector<Route> m_routes;
};

} // namespace tokend::http
