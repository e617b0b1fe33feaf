// Parsing of the usage-policy flags.
#include "cli/policy_flags.hpp"

#include <charconv>
#include <string>

#include "cli/options.hpp"

namespace tokend::cli {

namespace {
// A whole decimal number in [1, max], nothing else (no sign, no spaces, no unit).
bool read_bounded(std::string_view text, long long max, long long& value) {
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return !text.empty() && text.front() != '-' && text.front() != '+' && error == std::errc() &&
           end == text.data() + text.size() && value >= 1 && value <= max;
}
} // namespace

core::IpRanges ip_ranges_flag(const std::string& text, const std::string& flag) {
    core::IpRanges ranges;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t comma = text.find(',', start);
        std::string entry = text.substr(start, comma == std::string::npos ? comma : comma - start);
        std::erase(entry, ' ');
        if (!entry.empty()) {
            auto range = core::parse_ip_range(entry);
            if (!range) {
                throw UsageError(flag + ": '" + entry +
                                 "' is not an IPv4 or IPv6 address or CIDR range");
            }
            ranges.push_back(*range);
        }
        if (comma == std::string::npos) {
            break;
        }
        start = comma + 1;
    }
    return ranges;
}

core::RateLimit rate_limit_flag(const std::string& text) {
    auto slash = text.find('/');
    long long limit = 0;
    long long window = 0;
    bool ok =
        slash != std::string::npos &&
        read_bounded(std::string_view(text).substr(0, slash), core::RateLimit::kMaxLimit, limit) &&
        read_bounded(std::string_view(text).substr(slash + 1), core::RateLimit::kMaxWindowSeconds,
                     window);
    if (!ok) {
        throw UsageError("--rate-limit must be REQUESTS/SECONDS such as 600/60 (1 to " +
                         std::to_string(core::RateLimit::kMaxLimit) + " requests per 1 to " +
                         std::to_string(core::RateLimit::kMaxWindowSeconds) + " seconds)");
    }
    return core::RateLimit{static_cast<int>(limit), static_cast<int>(window)};
}

} // namespace tokend::cli
