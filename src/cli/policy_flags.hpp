// The usage-policy flags of the CLI (SPEC §11.6, §11.7): address lists such as --allowed-ips and
// --trusted-proxy, and --rate-limit N/SECONDS, each wrong value a one-line usage error.
#pragma once

#include <string>

#include "core/ip_range.hpp"
#include "core/types.hpp"

namespace tokend::cli {

// Comma-separated addresses or CIDR ranges; `flag` (with its dashes) names the flag in errors.
core::IpRanges ip_ranges_flag(const std::string& text, const std::string& flag);

// "600/60": at most 600 requests per 60 seconds, within the API's bounds (1..1000000 per
// 1..86400 s).
core::RateLimit rate_limit_flag(const std::string& text);

} // namespace tokend::cli
