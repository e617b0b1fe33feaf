// Reading request bodies: JSON objects only, with limits on nesting depth, and field readers
// whose messages name the field (nlohmann's own error texts never reach a client).
#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tokend::http {

inline constexpr std::size_t kMaxBodyBytes = 64 * 1024;
inline constexpr int kMaxJsonDepth = 16;
inline constexpr std::size_t kMaxArrayLength = 100;

// An empty body counts as {} (every field of our write bodies is optional or checked by name).
nlohmann::json parse_object_body(const httplib::Request& req);

// Deepest nesting of arrays/objects in `text`, scanning outside strings; stops counting past
// `limit`.
int json_depth(std::string_view text, int limit);

// The 400 for a field the body may not have (its name quoted only when safe to echo).
[[noreturn]] void fail_unknown_field(std::string_view field);
// Rejects fields other than `allowed`.
void require_known_fields(const nlohmann::json& body,
                          std::initializer_list<std::string_view> allowed);

// Field readers. Absent → nullopt. Wrong type → InvalidInput naming the field.
std::optional<std::string> string_field(const nlohmann::json& body, const char* field);
// For "string or null" fields: absent → nullopt; null → optional(nullopt).
std::optional<std::optional<std::string>> nullable_string_field(const nlohmann::json& body,
                                                                const char* field);
std::optional<std::vector<std::string>> string_array_field(const nlohmann::json& body,
                                                           const char* field);

} // namespace tokend::http
