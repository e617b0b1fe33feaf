// POST /api/v1/credentials/revoke (SPEC §11.8): revocation by value, GitHub's body shape.
// Public: anyone who finds a leaked token may report it, and an Authorization header is
// ignored. The answer is the same 202 whatever the strings were.
#include "core/error.hpp"
#include "http/client_address.hpp"
#include "http/envelope.hpp"
#include "http/json_body.hpp"
#include "http/routes.hpp"

namespace tokend::http {

namespace {
constexpr std::size_t kMaxCredentials = 1000; // GitHub's limit; 1000 tokens fit in 64 KiB

[[noreturn]] void unprocessable(const std::string& message) {
    core::fail(core::ErrorCode::Unprocessable, message);
}

// {"credentials": ["dft_…", …]} with 1–1000 strings, nothing else; any other shape → 422 (the
// body's size and media type keep their usual 413 and 415).
std::vector<std::string> reported_credentials(const httplib::Request& req) {
    nlohmann::json body;
    try {
        body = parse_object_body(req);
    } catch (const core::Error& error) {
        if (error.code() != core::ErrorCode::InvalidInput) {
            throw;
        }
        unprocessable(error.what());
    }
    auto it = body.find("credentials");
    if (body.size() != 1 || it == body.end() || !it->is_array() || it->empty() ||
        it->size() > kMaxCredentials) {
        unprocessable("The body must be {\"credentials\": [TOKEN, ...]} with 1 to 1000 token "
                      "strings and no other field.");
    }
    std::vector<std::string> credentials;
    for (std::size_t i = 0; i < it->size(); ++i) {
        if (!(*it)[i].is_string()) {
            unprocessable("credentials[" + std::to_string(i) + "] must be a string.");
        }
        credentials.push_back((*it)[i].get<std::string>());
    }
    return credentials;
}
} // namespace

void add_credential_routes(Router& router, Services& s) {
    router.add_public("POST", "/api/v1/credentials/revoke", [&s](Exchange& x) {
        s.leak_reports.admit(x.client);
        s.leak_reports.revoke_reported(reported_credentials(x.req), origin_of(x.req, x.client));
        write_success(x.res, Json::array({{{"message", "Credentials accepted for revocation."}}}));
        x.res.status = 202;
    });
}

} // namespace tokend::http
