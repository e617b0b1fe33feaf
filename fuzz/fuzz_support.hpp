// Shared checks for the fuzz targets: a broken property aborts, so libFuzzer saves the input.
#pragma once

#include <httplib.h>

#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/validate.hpp"

namespace tokend::fuzz {

[[noreturn]] inline void broken(const char* property) {
    std::fprintf(stderr, "fuzz property broken: %s\n", property);
    std::abort();
}

inline void expect(bool ok, const char* property) {
    if (!ok) {
        broken(property);
    }
}

// Client-facing messages never echo a value that could be a token (SPEC §9) and stay UTF-8.
inline void check_client_message(std::string_view message) {
    expect(!message.empty(), "error message is not empty");
    expect(message.find("dft_") == std::string_view::npos, "error message never echoes dft_");
    expect(core::is_valid_utf8(message), "error message is UTF-8");
}

// Every error response is the envelope with code == status and a safe message.
inline void check_error_envelope(const httplib::Response& res) {
    expect(res.status >= 400 && res.status < 500, "error status is 4xx");
    auto body = nlohmann::json::parse(res.body, nullptr, false);
    expect(body.is_object() && body.value("status", "") == "error", "error body is the envelope");
    expect(body["error"]["code"] == res.status, "envelope code equals the HTTP status");
    expect(body["error"]["message"].is_string(), "envelope message is a string");
    check_client_message(body["error"]["message"].get<std::string>());
}

} // namespace tokend::fuzz
