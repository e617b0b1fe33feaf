// /api/v1/admin/access-tokens: list, create, revoke (SPEC §6).
#include "http/codec.hpp"
#include "http/json_body.hpp"
#include "http/routes.hpp"

namespace tokend::http {

using core::Permission;

void add_token_routes(Router& router, Services& s) {
    router.add("GET", "/api/v1/admin/access-tokens", Permission::ApiKeysRead, [&s](Exchange& x) {
        Json data = Json::array();
        std::string now = s.now();
        for (const auto& token : s.tokens.list(x.caller)) {
            data.push_back(token_json(token, now));
        }
        write_success(x.res, std::move(data));
    });

    router.add("POST", "/api/v1/admin/access-tokens", Permission::ApiKeysWrite, [&s](Exchange& x) {
        auto request = token_request_from_json(parse_object_body(x.req));
        auto created = s.tokens.create(x.caller, request);
        Json token = token_json(created.token, s.now());
        token["key"] = created.key;
        x.res.set_header("Cache-Control", "no-store");
        write_success(x.res, Json::array({std::move(token)}));
    });

    router.add(
        "DELETE", "/api/v1/admin/access-tokens/{tokenId}", Permission::ApiKeysWrite,
        [&s](Exchange& x) {
            s.tokens.revoke(x.caller, x.params[0]);
            write_success(x.res, Json::array({{{"message", "Access token deleted successfully"}}}));
        });
}

} // namespace tokend::http
