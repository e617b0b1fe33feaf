// Duration parsing.
#include "core/duration.hpp"

namespace tokend::core {

std::optional<std::chrono::seconds> parse_duration(std::string_view text) {
    if (text == "0") {
        return std::chrono::seconds(0);
    }
    if (text.size() < 2 || text.size() > 10) {
        return std::nullopt;
    }
    long long unit = 0;
    switch (text.back()) {
    case 's':
        unit = 1;
        break;
    case 'm':
        unit = 60;
        break;
    case 'h':
        unit = 3600;
        break;
    case 'd':
        unit = 86400;
        break;
    default:
        return std::nullopt;
    }
    long long value = 0;
    for (char c : text.substr(0, text.size() - 1)) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        value = value * 10 + (c - '0');
    }
    return std::chrono::seconds(value * unit);
}

} // namespace tokend::core
