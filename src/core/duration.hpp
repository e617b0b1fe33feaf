// Durations as the CLI takes them: a whole number and a unit, `90d`, `12h`, `30m`, `45s`.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace tokend::core {

// nullopt for anything else (no unit, a sign, spaces, more than 9 digits). "0" alone is zero.
std::optional<std::chrono::seconds> parse_duration(std::string_view text);

} // namespace tokend::core
