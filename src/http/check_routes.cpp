// GET /api/v1/auth/check: the gate for other services (SPEC §6), shaped for nginx auth_request.
// Public in the route table because it authenticates itself: a throttled client gets 403.
#include "core/error.hpp"
#include "http/client_address.hpp"
#include "http/rate_limit_headers.hpp"
#include "http/routes.hpp"
#include "service/access_check.hpp"

namespace tokend::http {

namespace {
std::string_view header_of(const httplib::Request& req, const char* name) {
    auto it = req.headers.find(name);
    return it == req.headers.end() ? std::string_view() : std::string_view(it->second);
}

// The query parameter, else the header (nginx sets headers more easily than it rewrites
// queries). When both are sent they must agree, so neither can quietly change the question.
std::string_view asked(const httplib::Request& req, const char* param, const char* header,
                       core::ErrorCode on_conflict) {
    std::string_view from_query;
    if (auto it = req.params.find(param); it != req.params.end()) {
        from_query = it->second;
    }
    std::string_view from_header = header_of(req, header);
    if (!from_query.empty() && !from_header.empty() && from_query != from_header) {
        throw core::Error(
            on_conflict,
            std::string(param) + " and the " + header + " header disagree; send one of them.", 0,
            on_conflict == core::ErrorCode::Forbidden ? core::Reason::WebsiteForbidden
                                                      : core::Reason::None);
    }
    return from_query.empty() ? from_header : from_query;
}

service::CheckRequest check_request(const httplib::Request& req) {
    // A wrong permission is the gate's configuration (400: loud in nginx's error log); the
    // website usually comes from the client, so a bad one is a plain refusal (403).
    return {header_of(req, "Authorization"),
            asked(req, "permission", "X-Tokend-Permission", core::ErrorCode::InvalidInput),
            asked(req, "websiteId", "X-Tokend-Website", core::ErrorCode::Forbidden)};
}
} // namespace

void add_check_routes(Router& router, Services& s) {
    router.add_public(
        "GET", "/api/v1/auth/check",
        [check = service::AccessCheck(s.store, s.authenticator)](Exchange& x) mutable {
            auto answer = check.check(check_request(x.req), origin_of(x.req, x.client));
            x.res.status = 204;
            x.res.set_header("X-Tokend-Account", answer.account_id);
            x.res.set_header("X-Tokend-Token", answer.token_id);
            x.res.set_header("X-Tokend-Permissions", core::join_permissions(answer.permissions));
            set_rate_limit_headers(x.res, answer.rate_limit);
            if (answer.expires_at) {
                x.res.set_header("X-Tokend-Token-Expires", *answer.expires_at);
            }
        });
}

} // namespace tokend::http
