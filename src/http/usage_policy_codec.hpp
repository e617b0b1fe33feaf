// Request-body readers for a token's usage policy (SPEC §11.6, §11.7), shared by create and
// PATCH: each reads one field and names the field (and the entry's position) when it is wrong.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "core/ip_range.hpp"
#include "core/types.hpp"

namespace tokend::http {

// "allowedIps": up to 100 address or CIDR strings. Absent → nullopt; entries parsed and
// normalized, duplicates kept (the service removes them).
std::optional<core::IpRanges> allowed_ips_field(const nlohmann::json& body);

// "rateLimit": {"limit": 1..1000000, "windowSeconds": 1..86400} or null. Absent → nullopt;
// null → optional(nullopt) (no limit).
std::optional<std::optional<core::RateLimit>> rate_limit_field(const nlohmann::json& body);

} // namespace tokend::http
