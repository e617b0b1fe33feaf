// application/x-www-form-urlencoded bodies (the encoding RFC 7662 requests use): name=value
// pairs joined by '&', '+' for a space and %XX escapes. A malformed escape is a 400, never a
// guess.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tokend::http {

using FormFields = std::vector<std::pair<std::string, std::string>>;

// Content-Type application/x-www-form-urlencoded, any case, parameters (charset) ignored.
bool is_form_content_type(std::string_view content_type);

// Pairs in body order; empty pieces ("a=1&&b=2", a trailing '&') are skipped and a name without
// '=' has an empty value. Throws InvalidInput for a '%' not followed by two hex digits. The
// message never quotes the body: it may hold a token.
FormFields parse_form(std::string_view body);

// The value of `name`: nullopt when absent; InvalidInput naming it when given more than once
// (RFC 6749 §3.1: parameters must not repeat).
std::optional<std::string> single_form_field(const FormFields& fields, std::string_view name);

} // namespace tokend::http
