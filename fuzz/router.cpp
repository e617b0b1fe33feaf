// Fuzzes the path/id router: Router::dispatch over tokend's route shapes (dummy handlers that
// parse every path id with service::parse_id) plus the real static routes, with any method, path
// and Authorization header. Every answer must be a success or the 4xx envelope, never a throw.
#include <cstdint>

#include "core/bearer.hpp"
#include "core/error.hpp"
#include "core/object_id.hpp"
#include "core/token_format.hpp"
#include "fuzz_support.hpp"
#include "http/envelope.hpp"
#include "http/router.hpp"
#include "http/routes.hpp"
#include "service/ids.hpp"

namespace {
using namespace tokend;
using core::Permission;

constexpr const char* kMethods[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};

// The caller's permissions come from the input, so the permission checks are exercised too.
thread_local core::Permissions t_permissions;

core::Caller authenticate(const httplib::Request& req, const core::Origin& /*origin*/) {
    std::string header = req.get_header_value("Authorization"); // the view below points into it
    auto credential = core::read_bearer(header);
    if (credential.status != core::BearerStatus::Present) {
        core::fail(core::ErrorCode::Unauthenticated, "Missing access token.");
    }
    if (!core::is_well_formed_token(credential.token)) {
        core::fail(core::ErrorCode::InvalidToken, "The access token is malformed.");
    }
    core::Caller caller;
    caller.account_id = "0123456789abcdef01234567";
    caller.token_id = "76543210fedcba9876543210";
    caller.scope = {t_permissions, {}};
    return caller;
}

void parse_ids(http::Exchange& x) {
    for (const auto& param : x.params) {
        std::string id = service::parse_id(param, "id");
        fuzz::expect(core::is_object_id(id), "parse_id returns an ObjectId");
    }
    http::write_success(x.res, http::Json::array());
}

http::Router make_router() {
    http::Router router(authenticate, [](const httplib::Request& req) { return req.remote_addr; });
    const std::string admin = "/api/v1/admin";
    router.add("GET", admin + "/access-tokens", Permission::ApiKeysRead, parse_ids);
    router.add("POST", admin + "/access-tokens", Permission::ApiKeysWrite, parse_ids);
    router.add("DELETE", admin + "/access-tokens/{tokenId}", Permission::ApiKeysWrite, parse_ids);
    router.add("GET", admin + "/account", Permission::AnalyticsRead, parse_ids);
    router.add("GET", admin + "/websites", Permission::WebsitesRead, parse_ids);
    router.add("POST", admin + "/websites", Permission::WebsitesWrite, parse_ids);
    router.add("GET", admin + "/websites/{id}", Permission::SettingsRead, parse_ids);
    router.add("PUT", admin + "/websites/{id}", Permission::SettingsWrite, parse_ids);
    router.add("DELETE", admin + "/websites/{id}", std::nullopt, parse_ids);
    router.add("GET", admin + "/websites/{id}/team", Permission::TeamRead, parse_ids);
    router.add("POST", admin + "/websites/{id}/team", Permission::TeamWrite, parse_ids);
    router.add("DELETE", admin + "/websites/{id}/team", Permission::TeamWrite, parse_ids);
    router.add_public("GET", "/api/v1/auth/check", parse_ids);
    router.add_public("GET", "/api/v1/session", parse_ids);
    router.add_public("POST", "/api/v1/session", parse_ids);
    router.add_public("DELETE", "/api/v1/session", parse_ids);
    router.add_public("GET", "/healthz", parse_ids);
    http::add_static_routes(router);
    return router;
}

void check_response(const httplib::Response& res) {
    // A handler that sets no status gets 200 from cpp-httplib (static assets do this).
    if (res.status == 200 || res.status == -1) {
        auto body = nlohmann::json::parse(res.body, nullptr, false);
        // Static assets are not JSON; API successes are the success envelope.
        if (!body.is_discarded() && body.is_object()) {
            fuzz::expect(body.value("status", "") == "success", "200 body is the success envelope");
        }
        return;
    }
    fuzz::check_error_envelope(res);
    if (res.status == 405) {
        fuzz::expect(!res.get_header_value("Allow").empty(), "405 carries Allow");
    }
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const http::Router router = make_router();
    if (size < 2) {
        return 0;
    }
    t_permissions.clear();
    for (int bit = 0; bit < 8; ++bit) {
        if (data[1] & (1u << bit)) {
            t_permissions.push_back(static_cast<Permission>((bit * 5 + data[0]) % 19));
        }
    }
    std::string_view rest(reinterpret_cast<const char*>(data) + 2, size - 2);
    auto newline = rest.find('\n');
    httplib::Request req;
    req.method = kMethods[data[0] % 7];
    req.path = std::string(rest.substr(0, newline));
    if (newline != std::string_view::npos) {
        req.set_header("Authorization", std::string(rest.substr(newline + 1)));
    }
    httplib::Response res;
    router.dispatch(req, res);
    check_response(res);
    return 0;
}
