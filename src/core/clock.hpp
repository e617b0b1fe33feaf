// Timestamps as the API shows them: UTC ISO-8601 with milliseconds and `Z`.
#pragma once

#include <chrono>
#include <string>

namespace tokend::core {

std::string format_timestamp(std::chrono::system_clock::time_point when);
inline std::string now_timestamp() {
    return format_timestamp(std::chrono::system_clock::now());
}

} // namespace tokend::core
