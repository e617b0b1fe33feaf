// Base64url without padding (RFC 4648 §5), strict on decode: only the URL alphabet, no '=' and
// no stray bits, so each byte string has exactly one text form.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tokend::core {

std::string base64url_encode(std::string_view bytes);
// nullopt for any character outside the alphabet, a length that cannot occur (4n+1) or
// non-zero unused bits in the last character.
std::optional<std::string> base64url_decode(std::string_view text);

} // namespace tokend::core
