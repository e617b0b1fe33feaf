// Bearer first; the cookie only when no Authorization header is sent.
#include "http/authenticate.hpp"

#include "core/error.hpp"

namespace tokend::http {

namespace {
bool is_read(const std::string& method) {
    return method == "GET" || method == "HEAD";
}

std::string_view strip_scheme(std::string_view origin) {
    for (std::string_view scheme : {"http://", "https://"}) {
        if (origin.starts_with(scheme)) {
            return origin.substr(scheme.size());
        }
    }
    return {};
}
} // namespace

std::optional<std::string> session_cookie(const httplib::Request& req) {
    std::string value = req.get_header_value("Cookie"); // by value: keep it alive for the view
    std::string_view header = value;
    std::string_view prefix = "tokend_session=";
    while (!header.empty()) {
        auto end = header.find(';');
        std::string_view pair = header.substr(0, end);
        pair.remove_prefix(std::min(pair.find_first_not_of(' '), pair.size()));
        if (pair.starts_with(prefix) && pair.size() > prefix.size()) {
            return std::string(pair.substr(prefix.size()));
        }
        if (end == std::string_view::npos) {
            break;
        }
        header.remove_prefix(end + 1);
    }
    return std::nullopt;
}

void require_same_origin(const httplib::Request& req) {
    std::string origin = req.get_header_value("Origin");
    std::string host = req.get_header_value("Host");
    if (origin.empty() || host.empty() || strip_scheme(origin) != host) {
        core::fail(core::ErrorCode::Forbidden, "Cross-origin request refused: admin-page changes "
                                               "must come from this server's own page.");
    }
}

core::Caller authenticate(const httplib::Request& req, const core::Origin& origin,
                          service::Authenticator& tokens, service::SessionService& sessions) {
    if (!req.has_header("Authorization")) {
        if (auto cookie = session_cookie(req)) {
            if (!is_read(req.method)) {
                require_same_origin(req);
            }
            return sessions.caller(*cookie);
        }
    }
    return tokens.authenticate(req.get_header_value("Authorization"), origin);
}

} // namespace tokend::http
