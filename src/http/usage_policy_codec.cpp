// allowedIps and rateLimit readers.
#include "http/usage_policy_codec.hpp"

#include "core/error.hpp"
#include "core/validate.hpp"
#include "http/json_body.hpp"

namespace tokend::http {

namespace {
// A whole JSON number in [1, max] (1.0 and "5" are refused: the field is an integer).
int bounded_integer(const nlohmann::json& object, const char* key, int max) {
    std::string field = std::string("rateLimit.") + key;
    auto it = object.find(key);
    if (it == object.end()) {
        core::fail(core::ErrorCode::InvalidInput, field + " is required.");
    }
    bool in_range =
        it->is_number_integer() && it->get<long long>() >= 1 && it->get<long long>() <= max;
    if (!in_range) {
        core::fail(core::ErrorCode::InvalidInput,
                   field + " must be a whole number from 1 to " + std::to_string(max) + ".");
    }
    return static_cast<int>(it->get<long long>());
}
} // namespace

std::optional<core::IpRanges> allowed_ips_field(const nlohmann::json& body) {
    auto texts = string_array_field(body, "allowedIps");
    if (!texts) {
        return std::nullopt;
    }
    core::IpRanges ranges;
    for (std::size_t i = 0; i < texts->size(); ++i) {
        auto range = core::parse_ip_range((*texts)[i]);
        if (!range) {
            std::string quoted = core::quote_for_message((*texts)[i]);
            core::fail(core::ErrorCode::InvalidInput,
                       "allowedIps[" + std::to_string(i) +
                           "] must be an IPv4 or IPv6 address or CIDR range such as "
                           "203.0.113.0/24" +
                           (quoted.empty() ? "." : ", not " + quoted + "."));
        }
        ranges.push_back(*range);
    }
    return ranges;
}

std::optional<std::optional<core::RateLimit>> rate_limit_field(const nlohmann::json& body) {
    std::optional<std::optional<core::RateLimit>> field;
    auto it = body.find("rateLimit");
    if (it == body.end()) {
        return field;
    }
    if (it->is_null()) {
        field.emplace(); // null: explicitly no limit
        return field;
    }
    if (!it->is_object()) {
        core::fail(core::ErrorCode::InvalidInput,
                   "rateLimit must be an object {\"limit\": N, \"windowSeconds\": S} or null.");
    }
    for (const auto& item : it->items()) {
        if (item.key() != "limit" && item.key() != "windowSeconds") {
            std::string quoted = core::quote_for_message(item.key());
            core::fail(core::ErrorCode::InvalidInput,
                       "rateLimit has an unknown field" + (quoted.empty() ? "" : " " + quoted) +
                           "; it takes only limit and windowSeconds.");
        }
    }
    field.emplace(
        core::RateLimit{bounded_integer(*it, "limit", core::RateLimit::kMaxLimit),
                        bounded_integer(*it, "windowSeconds", core::RateLimit::kMaxWindowSeconds)});
    return field;
}

} // namespace tokend::http
