// /api/v1/session and /api/v1/setup: the admin page's sign-in, sign-out and first run.
#include "http/authenticate.hpp"
#include "http/client_address.hpp"
#include "http/codec.hpp"
#include "http/json_body.hpp"
#include "http/routes.hpp"

namespace tokend::http {

namespace {
void set_session_cookie(httplib::Response& res, const std::string& secret, bool secure) {
    // `Secure` only when tokend itself speaks TLS: over plain HTTP a browser would drop the
    // cookie (behind a TLS proxy, the proxy may add it).
    res.set_header("Set-Cookie",
                   std::string(kSessionCookie) + "=" + secret +
                       "; HttpOnly; SameSite=Strict; Path=/; Max-Age=" +
                       std::to_string(std::chrono::seconds(service::kSessionLifetime).count()) +
                       (secure ? "; Secure" : ""));
    res.set_header("Cache-Control", "no-store");
}

void clear_session_cookie(httplib::Response& res) {
    res.set_header("Set-Cookie",
                   std::string(kSessionCookie) + "=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
}

// Sign-in and setup are public writes: refuse them from other sites (login CSRF) when the
// browser says where they come from.
void refuse_foreign_origin(const httplib::Request& req) {
    if (req.has_header("Origin")) {
        require_same_origin(req);
    }
}

std::string required(const std::optional<std::string>& value, const char* field) {
    if (!value) {
        core::fail(core::ErrorCode::InvalidInput, std::string(field) + " is required.");
    }
    return *value;
}
} // namespace

void add_session_routes(Router& router, Services& s, bool secure_cookie) {
    router.add_public("GET", "/api/v1/setup", [&s](Exchange& x) {
        write_success(x.res, Json::array({{{"setupRequired", s.sessions.setup_required()}}}));
    });

    router.add_public("POST", "/api/v1/setup", [&s, secure_cookie](Exchange& x) {
        refuse_foreign_origin(x.req);
        auto body = parse_object_body(x.req);
        require_known_fields(body, {"code", "email", "password", "name"});
        service::SetupRequest request{required(string_field(body, "code"), "code"),
                                      required(string_field(body, "email"), "email"),
                                      nullable_string_field(body, "name").value_or(std::nullopt),
                                      required(string_field(body, "password"), "password")};
        auto signed_in = s.sessions.complete_setup(request, origin_of(x.req, x.client));
        set_session_cookie(x.res, signed_in.secret, secure_cookie);
        write_success(x.res, Json::array({account_json(signed_in.account)}));
    });

    router.add_public("POST", "/api/v1/session", [&s, secure_cookie](Exchange& x) {
        refuse_foreign_origin(x.req);
        auto body = parse_object_body(x.req);
        require_known_fields(body, {"email", "password"});
        auto signed_in = s.sessions.sign_in(required(string_field(body, "email"), "email"),
                                            required(string_field(body, "password"), "password"),
                                            origin_of(x.req, x.client));
        set_session_cookie(x.res, signed_in.secret, secure_cookie);
        write_success(x.res, Json::array({account_json(signed_in.account)}));
    });

    router.add_public("GET", "/api/v1/session", [&s](Exchange& x) {
        auto cookie = session_cookie(x.req);
        auto caller = s.sessions.caller(cookie.value_or(""));
        write_success(x.res, Json::array({account_json(s.accounts.by_id(caller.account_id))}));
    });

    router.add_public("DELETE", "/api/v1/session", [&s](Exchange& x) {
        if (auto cookie = session_cookie(x.req)) {
            require_same_origin(x.req);
            s.sessions.sign_out(*cookie, origin_of(x.req, x.client));
        }
        clear_session_cookie(x.res);
        write_success(x.res, Json::array({{{"message", "Signed out"}}}));
    });
}

} // namespace tokend::http
