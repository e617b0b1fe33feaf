// Time as the product sees it: an injectable clock (tests move it instead of sleeping) and
// timestamps as the API shows them: UTC ISO-8601 with milliseconds and `Z`.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace tokend::core {

using TimePoint = std::chrono::system_clock::time_point;
// Every service that decides something by time asks one of these; the App's default is the
// system clock. It must be safe to call from any thread.
using Clock = std::function<TimePoint()>;
inline TimePoint system_now() {
    return std::chrono::system_clock::now();
}

std::string format_timestamp(TimePoint when);
inline std::string now_timestamp() {
    return format_timestamp(std::chrono::system_clock::now());
}

// `2027-01-01T00:00:00.000Z` or `2027-01-01T00:00:00Z` (UTC only, a real calendar date, years
// 1970–2200: the system clock's nanoseconds end in 2262); nullopt for anything else.
std::optional<TimePoint> parse_timestamp(std::string_view text);

} // namespace tokend::core
