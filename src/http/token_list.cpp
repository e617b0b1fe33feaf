// List parameters and the page reply.
#include "http/token_list.hpp"

#include "core/error.hpp"
#include "http/codec.hpp"

namespace tokend::http {

using core::ErrorCode;

namespace {
const char* const kListPath = "/api/v1/admin/access-tokens";

service::StateFilter parse_state(const std::string& text) {
    if (text == "active") {
        return service::StateFilter::Active;
    }
    if (text == "expired") {
        return service::StateFilter::Expired;
    }
    core::fail(ErrorCode::InvalidInput, "state must be active or expired.");
}

// Digits only (no sign, space, decimal point or exponent), then the range.
int parse_limit(const std::string& text) {
    bool digits = !text.empty() && text.size() <= 3 &&
                  text.find_first_not_of("0123456789") == std::string::npos;
    int value = digits ? std::stoi(text) : 0;
    if (value < 1 || value > service::kMaxPageSize) {
        core::fail(ErrorCode::InvalidInput, "limit must be an integer from 1 to 100.");
    }
    return value;
}

std::string_view state_name(service::StateFilter state) {
    return state == service::StateFilter::Expired ? "expired" : "active";
}

// Only parameters this route understands are carried over; all are URL-safe as written (the
// cursor is base64url), so nothing the client sent is echoed raw into a header.
std::string next_link(const service::TokenListQuery& query, const std::string& cursor) {
    std::string url = std::string(kListPath) + "?limit=" + std::to_string(query.page_size());
    if (query.state != service::StateFilter::Any) {
        url += "&state=" + std::string(state_name(query.state));
    }
    return "<" + url + "&cursor=" + cursor + ">; rel=\"next\"";
}
} // namespace

std::optional<service::TokenListQuery> token_list_query(const httplib::Request& req) {
    auto state = single_param(req, "state");
    auto limit = single_param(req, "limit");
    auto cursor = single_param(req, "cursor");
    if (!state && !limit && !cursor) {
        return std::nullopt;
    }
    service::TokenListQuery query;
    if (state) {
        query.state = parse_state(*state);
    }
    if (limit) {
        query.limit = parse_limit(*limit);
    }
    query.cursor = std::move(cursor);
    return query;
}

Json listed_token_json(const httplib::Request& req, const core::AccessToken& token,
                       const std::string& now) {
    Json object = token_json(token, now);
    if (req.get_param_value("include") == "lastUsedIp") {
        object["lastUsedIp"] = token.last_used_ip ? Json(*token.last_used_ip) : Json(nullptr);
    }
    return object;
}

void write_token_list(Exchange& x, Services& s, const service::TokenListQuery& query) {
    auto page = s.listing.list(x.caller, query);
    Json data = Json::array();
    for (const auto& token : page.tokens) {
        data.push_back(listed_token_json(x.req, token, page.now));
    }
    if (!query.paginated()) {
        write_success(x.res, std::move(data));
        return;
    }
    if (page.next_cursor) {
        x.res.set_header("Link", next_link(query, *page.next_cursor));
    }
    Json pagination = {{"cursor", page.next_cursor ? Json(*page.next_cursor) : Json(nullptr)},
                       {"hasMore", page.next_cursor.has_value()}};
    write_page(x.res, std::move(data), std::move(pagination));
}

} // namespace tokend::http
