// Fuzzes the request-body validators of the write endpoints: parse_object_body, then each body
// parser on the same document. Only core::Error may escape a parser, and its message is safe.
#include <cstdint>

#include "core/error.hpp"
#include "core/validate.hpp"
#include "fuzz_support.hpp"
#include "http/codec.hpp"
#include "http/json_body.hpp"
#include "service/ids.hpp"

namespace {
using tokend::core::Error;
using namespace tokend::http;

constexpr const char* kContentTypes[] = {"application/json", "application/json; charset=utf-8",
                                         "text/plain", nullptr};

template <class Parse>
void expect_only_client_errors(Parse&& parse) {
    try {
        parse();
    } catch (const Error& error) {
        tokend::fuzz::check_client_message(error.what());
    }
}

// The admin page's sign-in and setup bodies, read as session_routes.cpp reads them.
void parse_sign_in(const nlohmann::json& body) {
    require_known_fields(body, {"email", "password"});
    if (auto email = string_field(body, "email")) {
        tokend::core::normalize_email(*email, "email");
    }
    string_field(body, "password");
}

void parse_setup(const nlohmann::json& body) {
    require_known_fields(body, {"code", "email", "password", "name"});
    string_field(body, "code");
    string_field(body, "password");
    if (auto name = nullable_string_field(body, "name"); name && *name) {
        tokend::core::normalize_name(**name, "name");
    }
}

// The website and team bodies: the codec, then the core rules the website service applies.
void parse_website_draft(const nlohmann::json& body) {
    auto draft = website_draft_from_json(body);
    tokend::core::normalize_domain(draft.domain, "domain");
    if (draft.name) {
        tokend::core::normalize_name(*draft.name, "name");
    }
    if (draft.timezone) {
        tokend::core::is_known_timezone(*draft.timezone);
    }
}

void parse_website_changes(const nlohmann::json& body) {
    auto changes = website_changes_from_json(body);
    if (changes.domain) {
        tokend::core::normalize_domain(*changes.domain, "domain");
    }
    if (changes.name && *changes.name) {
        tokend::core::normalize_name(**changes.name, "name");
    }
}

void parse_team_bodies(const nlohmann::json& body) {
    try {
        auto invite = team_invite_from_json(body);
        tokend::core::normalize_email(invite.email, "email");
    } catch (const Error& error) {
        tokend::fuzz::check_client_message(error.what());
    }
    tokend::service::parse_id(team_removal_from_json(body), "userId");
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    httplib::Request req;
    req.method = "POST";
    if (const char* type = kContentTypes[data[0] % 4]) {
        req.set_header("Content-Type", type);
    }
    req.body.assign(reinterpret_cast<const char*>(data) + 1, size - 1);
    nlohmann::json body;
    try {
        body = parse_object_body(req);
    } catch (const Error& error) {
        tokend::fuzz::check_client_message(error.what());
        return 0;
    }
    tokend::fuzz::expect(body.is_object(), "parse_object_body returns an object");
    tokend::fuzz::expect(req.body.find('\0') == std::string::npos, "a raw NUL is never JSON");
    expect_only_client_errors([&] {
        auto request = token_request_from_json(body);
        if (request.name && *request.name) {
            tokend::fuzz::expect(tokend::core::is_valid_utf8(**request.name), "name is UTF-8");
        }
    });
    expect_only_client_errors([&] { parse_sign_in(body); });
    expect_only_client_errors([&] { parse_setup(body); });
    expect_only_client_errors([&] { parse_website_draft(body); });
    expect_only_client_errors([&] { parse_website_changes(body); });
    expect_only_client_errors([&] { parse_team_bodies(body); });
    return 0;
}
