// Token and account codecs.
#include "http/codec.hpp"

#include "core/error.hpp"
#include "core/validate.hpp"
#include "http/json_body.hpp"
#include "service/ids.hpp"

namespace tokend::http {

namespace {
Json nullable(const std::optional<std::string>& value) {
    return value ? Json(*value) : Json(nullptr);
}

std::string position(const char* field, std::size_t i) {
    return std::string(field) + "[" + std::to_string(i) + "]";
}
} // namespace

Json token_json(const core::AccessToken& token) {
    Json permissions = Json::array();
    for (core::Permission p : token.scope.permissions) {
        permissions.push_back(core::permission_name(p));
    }
    return Json{{"_id", token.id},
                {"name", nullable(token.name)},
                {"displayKey", token.display_key},
                {"scope", "user"},
                {"permissions", std::move(permissions)},
                {"websiteIds", token.scope.website_ids},
                {"lastUsedAt", nullable(token.last_used_at)},
                {"createdAt", token.created_at}};
}

Json account_json(const core::Account& account) {
    return Json{{"_id", account.id},
                {"name", nullable(account.name)},
                {"email", account.email},
                {"image", nullptr},
                {"createdAt", account.created_at}};
}

service::TokenRequest token_request_from_json(const nlohmann::json& body) {
    require_known_fields(body, {"name", "permissions", "websiteIds"});
    service::TokenRequest request;
    if (auto name = nullable_string_field(body, "name")) {
        request.name = *name ? core::normalize_name(**name, "name") : std::nullopt;
    }
    if (auto names = string_array_field(body, "permissions")) {
        core::Permissions permissions;
        for (std::size_t i = 0; i < names->size(); ++i) {
            auto permission = core::parse_permission((*names)[i]);
            if (!permission) {
                std::string quoted = core::quote_for_message((*names)[i]);
                core::fail(core::ErrorCode::InvalidInput,
                           position("permissions", i) + " is not a valid permission" +
                               (quoted.empty() ? "." : ": " + quoted + "."));
            }
            permissions.push_back(*permission);
        }
        request.permissions = std::move(permissions);
    }
    if (auto ids = string_array_field(body, "websiteIds")) {
        std::vector<std::string> parsed;
        for (std::size_t i = 0; i < ids->size(); ++i) {
            parsed.push_back(service::parse_id((*ids)[i], position("websiteIds", i)));
        }
        request.website_ids = std::move(parsed);
    }
    return request;
}

} // namespace tokend::http
