// Input rules shared by the API and the CLI. Each throws core::Error(InvalidInput) with a
// message naming the field, and never echoes a value that could be a token.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tokend::core {

inline constexpr std::size_t kMaxNameLength = 100; // code points

bool is_valid_utf8(std::string_view text);
std::size_t code_point_count(std::string_view text); // of valid UTF-8

// Names: control characters (C0, DEL) and well-formed tokens rejected, trimmed, empty → nullopt,
// ≤ 100 code points.
std::optional<std::string> normalize_name(std::string_view raw, std::string_view field);
// Emails: one '@', something on both sides, no spaces or control characters, ≤ 254; lower-cased.
std::string normalize_email(std::string_view raw, std::string_view field);
// Passwords: at least 8 characters, at most 1024 bytes.
void check_password(std::string_view password);
// Host names such as example.com: labels of letters, digits and '-', no scheme, port, path or
// spaces; lower-cased.
std::string normalize_domain(std::string_view raw, std::string_view field);
bool is_known_timezone(std::string_view name);

// A value quoted for an error message, or an empty string when it must not be echoed (it looks
// like a token, is long, or holds unprintable bytes). Callers write "… (value)" only if non-empty.
std::string quote_for_message(std::string_view value);

} // namespace tokend::core
