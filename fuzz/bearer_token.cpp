// Fuzzes the bearer-token path: Authorization header parsing, the token shape and checksum
// check, display keys, token generation from random bytes, and the session cookie reader.
#include <cstdint>

#include "core/bearer.hpp"
#include "core/token_format.hpp"
#include "fuzz_support.hpp"
#include "http/authenticate.hpp"

namespace {
using namespace tokend;

void check_header(std::string_view header) {
    auto credential = core::read_bearer(header);
    if (credential.status != core::BearerStatus::Present) {
        fuzz::expect(credential.token.empty(), "no token unless Present");
        return;
    }
    fuzz::expect(!credential.token.empty(), "a Present token is not empty");
    fuzz::expect(credential.token.data() >= header.data() &&
                     credential.token.data() + credential.token.size() <=
                         header.data() + header.size(),
                 "the token is a view into the header");
    std::string_view token = credential.token;
    if (!core::is_well_formed_token(token)) {
        return;
    }
    fuzz::expect(token.size() == core::kTokenLength, "well-formed tokens have 40 characters");
    auto random = token.substr(core::kTokenPrefix.size(), core::kTokenRandomLength);
    fuzz::expect(core::base62_checksum(core::crc32(random)) == token.substr(34),
                 "well-formed tokens carry their checksum");
    fuzz::expect(core::display_key(token).size() == 14, "display keys have 14 characters");
}

void check_generation(std::string_view random_bytes) {
    std::string token = core::token_from_random(random_bytes);
    if (!token.empty()) {
        fuzz::expect(core::is_well_formed_token(token), "generated tokens are well-formed");
    }
}

void check_cookie(std::string_view header) {
    httplib::Request req;
    req.set_header("Cookie", std::string(header));
    if (auto cookie = http::session_cookie(req)) {
        fuzz::expect(!cookie->empty(), "a session cookie value is not empty");
        fuzz::expect(std::string_view(header).find(*cookie) != std::string_view::npos,
                     "the cookie value comes from the header");
    }
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    check_header(text);
    check_generation(text);
    check_cookie(text);
    return 0;
}
