// Body parsing and typed field access.
#include "http/json_body.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/validate.hpp"

namespace tokend::http {

using core::ErrorCode;

namespace {
bool is_json_content_type(const std::string& type) {
    std::string lowered = type.substr(0, type.find(';'));
    std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    lowered.erase(lowered.find_last_not_of(" \t") + 1);
    return lowered == "application/json";
}
} // namespace

int json_depth(std::string_view text, int limit) {
    int depth = 0;
    int deepest = 0;
    bool in_string = false;
    bool escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
            }
            continue;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            deepest = std::max(deepest, ++depth);
            if (deepest > limit) {
                return deepest;
            }
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return deepest;
}

nlohmann::json parse_object_body(const httplib::Request& req) {
    if (req.body.size() > kMaxBodyBytes) {
        core::fail(ErrorCode::TooLarge, "The request body must be at most 64 KiB.");
    }
    if (req.body.find_first_not_of(" \t\r\n") == std::string::npos) {
        return nlohmann::json::object();
    }
    if (req.has_header("Content-Type") &&
        !is_json_content_type(req.get_header_value("Content-Type"))) {
        core::fail(ErrorCode::UnsupportedMedia,
                   "The request body must be JSON (Content-Type: application/json).");
    }
    if (json_depth(req.body, kMaxJsonDepth) > kMaxJsonDepth) {
        core::fail(ErrorCode::InvalidInput,
                   "The request body is nested too deeply (at most 16 levels).");
    }
    auto body = nlohmann::json::parse(req.body, nullptr, false);
    // nlohmann 3.11 stops reading at a NUL byte and ignores what follows; JSON never contains a
    // raw NUL, so such a body is malformed, not a shorter document (found by fuzz/json_codec).
    if (body.is_discarded() || req.body.find('\0') != std::string::npos) {
        core::fail(ErrorCode::InvalidInput, "The request body is not valid JSON (UTF-8).");
    }
    if (!body.is_object()) {
        core::fail(ErrorCode::InvalidInput, "The request body must be a JSON object.");
    }
    return body;
}

void fail_unknown_field(std::string_view field) {
    std::string quoted = core::quote_for_message(field);
    core::fail(ErrorCode::InvalidInput, quoted.empty()
                                            ? "The request body has a field that is not allowed."
                                            : "Unknown field " + quoted + " in the request body.");
}

void require_known_fields(const nlohmann::json& body,
                          std::initializer_list<std::string_view> allowed) {
    for (const auto& item : body.items()) {
        if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end()) {
            fail_unknown_field(item.key());
        }
    }
}

std::optional<std::string> string_field(const nlohmann::json& body, const char* field) {
    auto it = body.find(field);
    if (it == body.end()) {
        return std::nullopt;
    }
    if (!it->is_string()) {
        core::fail(ErrorCode::InvalidInput, std::string(field) + " must be a string.");
    }
    return it->get<std::string>();
}

std::optional<std::optional<std::string>> nullable_string_field(const nlohmann::json& body,
                                                                const char* field) {
    auto it = body.find(field);
    if (it == body.end()) {
        return std::nullopt;
    }
    if (it->is_null()) {
        return std::optional<std::string>();
    }
    if (!it->is_string()) {
        core::fail(ErrorCode::InvalidInput, std::string(field) + " must be a string or null.");
    }
    return std::optional<std::string>(it->get<std::string>());
}

std::optional<std::vector<std::string>> string_array_field(const nlohmann::json& body,
                                                           const char* field) {
    auto it = body.find(field);
    if (it == body.end()) {
        return std::nullopt;
    }
    if (!it->is_array()) {
        core::fail(ErrorCode::InvalidInput, std::string(field) + " must be an array of strings.");
    }
    if (it->size() > kMaxArrayLength) {
        core::fail(ErrorCode::InvalidInput, std::string(field) + " must have at most 100 entries.");
    }
    std::vector<std::string> values;
    for (std::size_t i = 0; i < it->size(); ++i) {
        const auto& element = (*it)[i];
        if (!element.is_string()) {
            core::fail(ErrorCode::InvalidInput,
                       std::string(field) + "[" + std::to_string(i) + "] must be a string.");
        }
        values.push_back(element.get<std::string>());
    }
    return values;
}

} // namespace tokend::http
