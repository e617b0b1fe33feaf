// Fuzzes the JSON edge: json_depth against nlohmann's own parse, and the codecs — a token request
// read from any document renders back (token_json) and serialises like write_success does
// (strict UTF-8 dump), and the error writer accepts any message.
#include <cstdint>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/permission.hpp"
#include "fuzz_support.hpp"
#include "http/codec.hpp"
#include "http/envelope.hpp"
#include "http/json_body.hpp"

namespace {
using namespace tokend;

int depth_of(const nlohmann::json& value) {
    int deepest = 0;
    if (value.is_structured()) {
        for (const auto& child : value) {
            deepest = std::max(deepest, depth_of(child));
        }
        return deepest + 1;
    }
    return 0;
}

void check_depth(std::string_view text) {
    constexpr int kLimit = 64;
    if (text.find('\0') != std::string_view::npos) {
        return; // nlohmann stops at NUL; parse_object_body refuses such bodies
    }
    int scanned = http::json_depth(text, kLimit);
    if (scanned > kLimit) {
        return; // parse_object_body refuses it before nlohmann sees it
    }
    auto parsed = nlohmann::json::parse(text, nullptr, false);
    if (!parsed.is_discarded()) {
        fuzz::expect(scanned == depth_of(parsed), "json_depth matches the parsed depth");
    }
}

void check_token_codec(std::string_view text) {
    if (http::json_depth(text, http::kMaxJsonDepth) > http::kMaxJsonDepth) {
        return;
    }
    auto body = nlohmann::json::parse(text, nullptr, false);
    if (body.is_discarded() || !body.is_object() || text.find('\0') != std::string_view::npos) {
        return;
    }
    service::TokenRequest request;
    try {
        request = http::token_request_from_json(body);
    } catch (const core::Error& error) {
        fuzz::check_client_message(error.what());
        return;
    }
    core::AccessToken token;
    token.id = "0123456789abcdef01234567";
    token.name = request.name.value_or(std::nullopt);
    token.display_key = "dft_abc...wxyz";
    token.scope.permissions =
        request.permissions.value_or(core::Permissions{core::Permission::All});
    token.scope.website_ids = request.website_ids.value_or(std::vector<std::string>{});
    token.created_at = "2026-05-21T00:00:00.000Z";
    auto rendered = http::token_json(token, core::now_timestamp());
    std::string dumped = rendered.dump(); // throws on invalid UTF-8, as write_success would
    auto reread = nlohmann::json::parse(dumped);
    fuzz::expect(reread["name"] == (token.name ? nlohmann::json(*token.name) : nullptr),
                 "the name round-trips");
    fuzz::expect(reread["websiteIds"].size() == token.scope.website_ids.size(),
                 "website ids round-trip");
}

void check_error_writer(std::string_view text) {
    httplib::Response res;
    http::write_error(res, 400, std::string(text));
    auto body = nlohmann::json::parse(res.body, nullptr, false);
    fuzz::expect(!body.is_discarded(), "write_error always writes JSON");
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    check_depth(text);
    check_token_codec(text);
    check_error_writer(text);
    return 0;
}
