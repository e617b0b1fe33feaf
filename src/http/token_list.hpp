// GET /api/v1/admin/access-tokens with `state`, `limit` or `cursor` (SPEC §11.2, §11.11). Without
// any of them the route keeps the first release's code path (http/token_routes.cpp).
#pragma once

#include <optional>

#include "http/codec.hpp"
#include "http/routes.hpp"
#include "service/token_listing.hpp"

namespace tokend::http {

// nullopt when the request has none of the list parameters. Throws InvalidInput naming the
// parameter: state not active|expired, limit not an integer 1–100, any of them repeated. Other
// query parameters are ignored, as the first release ignores them.
std::optional<service::TokenListQuery> token_list_query(const httplib::Request& req);

// A token object of the list; with `include=lastUsedIp` it also carries the client address of
// its last use (the admin page shows it; the first release's answer stays as it was).
Json listed_token_json(const httplib::Request& req, const core::AccessToken& token,
                       const std::string& now);

// The filtered list, or a page: data, then "pagination" and a Link to the next page.
void write_token_list(Exchange& x, Services& s, const service::TokenListQuery& query);

} // namespace tokend::http
