// /api/v1/admin/access-tokens: list, create, revoke (SPEC §6); rotate, the token itself and
// PATCH (§11.3–§11.5). `self` routes need no permission: a token may always see, rotate and
// revoke itself. The router prefers the literal `self` to a {tokenId}.
#include "http/codec.hpp"
#include "http/json_body.hpp"
#include "http/routes.hpp"
#include "http/token_list.hpp"

namespace tokend::http {

using core::Permission;

namespace {
const std::string kTokens = "/api/v1/admin/access-tokens";
const std::string kSelf = kTokens + "/self";

// Answers that carry a raw key: shown once, never cached.
void write_with_key(Exchange& x, Services& s, const service::CreatedToken& created) {
    Json token = token_json(created.token, s.now());
    token["key"] = created.key;
    x.res.set_header("Cache-Control", "no-store");
    write_success(x.res, Json::array({std::move(token)}));
}

void write_deleted(Exchange& x) {
    write_success(x.res, Json::array({{{"message", "Access token deleted successfully"}}}));
}
} // namespace

void add_token_routes(Router& router, Services& s) {
    router.add("GET", kTokens, Permission::ApiKeysRead, [&s](Exchange& x) {
        // state/limit/cursor (SPEC §11.2, §11.11); without them, the first release's reply.
        if (auto query = token_list_query(x.req)) {
            write_token_list(x, s, *query);
            return;
        }
        Json data = Json::array();
        std::string now = s.now();
        for (const auto& token : s.tokens.list(x.caller)) {
            data.push_back(listed_token_json(x.req, token, now));
        }
        write_success(x.res, std::move(data));
    });

    router.add("POST", kTokens, Permission::ApiKeysWrite, [&s](Exchange& x) {
        auto request = token_request_from_json(parse_object_body(x.req));
        write_with_key(x, s, s.tokens.create(x.caller, request));
    });

    router.add("DELETE", kTokens + "/{tokenId}", Permission::ApiKeysWrite, [&s](Exchange& x) {
        s.tokens.revoke(x.caller, x.params[0]);
        write_deleted(x);
    });

    router.add("PATCH", kTokens + "/{tokenId}", Permission::ApiKeysWrite, [&s](Exchange& x) {
        auto changes = token_changes_from_json(parse_object_body(x.req));
        auto token = s.tokens.change(x.caller, x.params[0], changes);
        write_success(x.res, Json::array({token_json(token, s.now())}));
    });

    router.add("POST", kTokens + "/{tokenId}/rotate", Permission::ApiKeysWrite, [&s](Exchange& x) {
        auto request = rotate_request_from_json(parse_object_body(x.req));
        write_with_key(x, s, s.tokens.rotate(x.caller, x.params[0], request));
    });

    router.add("GET", kSelf, std::nullopt, [&s](Exchange& x) {
        Json token = token_json(s.tokens.self(x.caller), s.now());
        token["accountId"] = x.caller.account_id;
        write_success(x.res, Json::array({std::move(token)}));
    });

    router.add("DELETE", kSelf, std::nullopt, [&s](Exchange& x) {
        s.tokens.revoke_self(x.caller);
        write_deleted(x);
    });

    router.add("POST", kSelf + "/rotate", std::nullopt, [&s](Exchange& x) {
        auto request = rotate_request_from_json(parse_object_body(x.req));
        write_with_key(x, s, s.tokens.rotate_self(x.caller, request));
    });
}

} // namespace tokend::http
