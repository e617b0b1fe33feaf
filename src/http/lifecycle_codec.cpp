// Request bodies of the token lifecycle (SPEC §11.2–§11.5): expiresAt, a rotation, a PATCH.
#include <utility>

#include "core/error.hpp"
#include "core/validate.hpp"
#include "http/codec.hpp"
#include "http/json_body.hpp"
#include "http/usage_policy_codec.hpp"

namespace tokend::http {

using core::ErrorCode;

namespace {
void read_name(const nlohmann::json& value, service::TokenChanges& changes) {
    if (value.is_null()) {
        changes.name = std::optional<std::string>();
    } else if (value.is_string()) {
        changes.name = core::normalize_name(value.get<std::string>(), "name");
    } else {
        core::fail(ErrorCode::InvalidInput, "name must be a string or null.");
    }
}

void read_expiry(const nlohmann::json& value, service::TokenChanges& changes) {
    changes.expires_at = expires_at_value(value);
}

// Fields a PATCH may never change: a token's reach is fixed at creation (SPEC §11.5).
template <const char* Field>
void immutable(const nlohmann::json&, service::TokenChanges&) {
    core::fail(ErrorCode::InvalidInput, std::string(Field) +
                                            " cannot be changed: a token's access is fixed when "
                                            "it is created. Create a new token instead.");
}

// The create body's readers (http/usage_policy_codec) read a field of a body, so the value is
// put back under its name: one parser, one set of messages for create and PATCH.
void read_allowed_ips(const nlohmann::json& value, service::TokenChanges& changes) {
    auto ranges = allowed_ips_field(nlohmann::json{{"allowedIps", value}});
    changes.allowed_ips.emplace();
    for (const auto& range : *ranges) {
        changes.allowed_ips->push_back(core::format_ip_range(range));
    }
}

void read_rate_limit(const nlohmann::json& value, service::TokenChanges& changes) {
    changes.rate_limit = rate_limit_field(nlohmann::json{{"rateLimit", value}});
}

constexpr char kPermissions[] = "permissions";
constexpr char kWebsiteIds[] = "websiteIds";

using FieldReader = void (*)(const nlohmann::json&, service::TokenChanges&);
const std::pair<std::string_view, FieldReader> kPatchFields[] = {
    {"name", read_name},
    {"expiresAt", read_expiry},
    {"allowedIps", read_allowed_ips},
    {"rateLimit", read_rate_limit},
    {kPermissions, immutable<kPermissions>},
    {kWebsiteIds, immutable<kWebsiteIds>},
};
} // namespace

service::RequestedExpiry expires_at_value(const nlohmann::json& value) {
    if (value.is_null()) {
        return core::Expiry();
    }
    if (!value.is_string()) {
        core::fail(ErrorCode::InvalidInput,
                   "expiresAt must be a string (an ISO-8601 UTC date-time) or null.");
    }
    auto moment = core::parse_timestamp(value.get<std::string>());
    if (!moment) {
        core::fail(ErrorCode::InvalidInput, "expiresAt is not a valid ISO-8601 UTC date-time; use "
                                            "the form 2027-01-01T00:00:00.000Z.");
    }
    return core::Expiry(*moment);
}

service::RequestedExpiry expires_at_field(const nlohmann::json& body) {
    auto it = body.find("expiresAt");
    return it == body.end() ? service::RequestedExpiry() : expires_at_value(*it);
}

service::RotateRequest rotate_request_from_json(const nlohmann::json& body) {
    require_known_fields(body, {"gracePeriodSeconds", "expiresAt"});
    service::RotateRequest request;
    if (auto it = body.find("gracePeriodSeconds"); it != body.end()) {
        if (!it->is_number_integer() || it->get<long long>() < 0 ||
            it->get<long long>() > service::kMaxGraceSeconds) {
            core::fail(ErrorCode::InvalidInput,
                       "gracePeriodSeconds must be a whole number of seconds from 0 to " +
                           std::to_string(service::kMaxGraceSeconds) + ".");
        }
        request.grace_seconds = it->get<int>();
    }
    request.expires_at = expires_at_field(body);
    return request;
}

service::TokenChanges token_changes_from_json(const nlohmann::json& body) {
    service::TokenChanges changes;
    for (const auto& item : body.items()) {
        FieldReader reader = nullptr;
        for (const auto& [field, read] : kPatchFields) {
            if (field == item.key()) {
                reader = read;
            }
        }
        if (!reader) {
            fail_unknown_field(item.key());
        }
        reader(item.value(), changes);
    }
    return changes;
}

} // namespace tokend::http
