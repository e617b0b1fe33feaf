// POST /api/v1/introspect (SPEC §11.10, RFC 7662): the reply is the RFC's bare JSON, not the
// envelope, because introspection clients expect it; the caller's own problems (401, 403, a
// body without `token`) keep the envelope errors of every other route.
#include "core/clock.hpp"
#include "core/error.hpp"
#include "http/envelope.hpp"
#include "http/form_body.hpp"
#include "http/json_body.hpp"
#include "http/routes.hpp"

namespace tokend::http {

using core::ErrorCode;
using core::Permission;

namespace {
long long epoch_seconds(const std::string& timestamp) {
    auto when = core::parse_timestamp(timestamp);
    if (!when) {
        throw std::logic_error("stored timestamp is not normalized");
    }
    return std::chrono::duration_cast<std::chrono::seconds>(when->time_since_epoch()).count();
}

// The `token` parameter of a form or JSON body (`token_type_hint` is allowed and ignored: a
// tokend server has one kind of token). The value is never quoted in a message.
std::string token_parameter(const httplib::Request& req) {
    if (req.body.size() > kMaxBodyBytes) {
        core::fail(ErrorCode::TooLarge, "The request body must be at most 64 KiB.");
    }
    std::optional<std::string> token;
    if (is_form_content_type(req.get_header_value("Content-Type"))) {
        // Unknown parameters are ignored, as RFC 6749 §3.1 asks of OAuth endpoints.
        token = single_form_field(parse_form(req.body), "token");
    } else {
        auto body = parse_object_body(req);
        require_known_fields(body, {"token", "token_type_hint"});
        string_field(body, "token_type_hint");
        token = string_field(body, "token");
    }
    if (!token) {
        core::fail(ErrorCode::InvalidInput,
                   "token is required: send token=<the key to check> as a form or JSON body.");
    }
    return *token;
}

Json introspection_json(const service::ActiveKey& key) {
    std::string scope;
    for (core::Permission p : key.token.scope.permissions) {
        scope += (scope.empty() ? "" : " ") + std::string(core::permission_name(p));
    }
    Json reply = {{"active", true},
                  {"scope", scope},
                  {"client_id", key.token.id},
                  {"jti", key.token.id},
                  {"sub", key.token.account_id},
                  {"token_type", "Bearer"},
                  {"iat", epoch_seconds(key.token.created_at)}};
    if (key.expires_at) {
        reply["exp"] = epoch_seconds(*key.expires_at);
    }
    reply["website_ids"] = key.token.scope.website_ids;
    reply["allowed_ips"] = key.token.allowed_ips;
    return reply;
}
} // namespace

void add_introspect_routes(Router& router, Services& s) {
    router.add("POST", "/api/v1/introspect", Permission::ApiKeysRead, [&s](Exchange& x) {
        x.res.set_header("Cache-Control", "no-store");
        auto active = s.introspection.introspect(x.caller, token_parameter(x.req));
        write_protocol_json(x.res, active ? introspection_json(*active) : Json{{"active", false}});
    });
}

} // namespace tokend::http
