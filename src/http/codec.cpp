// Token and account codecs.
#include "http/codec.hpp"

#include "core/error.hpp"
#include "core/expiry.hpp"
#include "core/validate.hpp"
#include "http/json_body.hpp"
#include "http/usage_policy_codec.hpp"
#include "service/ids.hpp"

namespace tokend::http {

namespace {
Json nullable(const std::optional<std::string>& value) {
    return value ? Json(*value) : Json(nullptr);
}

std::string position(const char* field, std::size_t i) {
    return std::string(field) + "[" + std::to_string(i) + "]";
}

Json rate_limit_json(const std::optional<core::RateLimit>& limit) {
    if (!limit) {
        return nullptr;
    }
    return Json{{"limit", limit->limit}, {"windowSeconds", limit->window_seconds}};
}
} // namespace

std::optional<std::string> single_param(const httplib::Request& req, const char* name) {
    std::size_t count = req.get_param_value_count(name);
    if (count == 0) {
        return std::nullopt;
    }
    if (count > 1) {
        core::fail(core::ErrorCode::InvalidInput, std::string(name) + " must be given only once.");
    }
    return req.get_param_value(name);
}

Json token_json(const core::AccessToken& token, const std::string& now) {
    Json permissions = Json::array();
    for (core::Permission p : token.scope.permissions) {
        permissions.push_back(core::permission_name(p));
    }
    // The first release's fields first, then SPEC §11.1's, every one always present.
    return Json{{"_id", token.id},
                {"name", nullable(token.name)},
                {"displayKey", token.display_key},
                {"scope", "user"},
                {"permissions", std::move(permissions)},
                {"websiteIds", token.scope.website_ids},
                {"lastUsedAt", nullable(token.last_used_at)},
                {"createdAt", token.created_at},
                {"expiresAt", nullable(token.expires_at)},
                {"state", core::is_expired(token, now) ? "expired" : "active"},
                {"rotatedAt", nullable(token.rotated_at)},
                {"previousKeyExpiresAt", core::previous_key_works(token, now)
                                             ? Json(*token.previous_expires_at)
                                             : Json(nullptr)},
                {"allowedIps", token.allowed_ips},
                {"rateLimit", rate_limit_json(token.rate_limit)}};
}

Json account_json(const core::Account& account) {
    return Json{{"_id", account.id},
                {"name", nullable(account.name)},
                {"email", account.email},
                {"image", nullptr},
                {"createdAt", account.created_at}};
}

service::TokenRequest token_request_from_json(const nlohmann::json& body) {
    require_known_fields(
        body, {"name", "permissions", "websiteIds", "expiresAt", "allowedIps", "rateLimit"});
    service::TokenRequest request;
    request.expires_at = expires_at_field(body);
    request.allowed_ips = allowed_ips_field(body);
    request.rate_limit = rate_limit_field(body);
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

Json website_json(const core::WebsiteView& view) {
    return Json{{"_id", view.website.id},
                {"domain", view.website.domain},
                {"name", nullable(view.website.name)},
                {"timezone", view.website.timezone},
                {"role", core::role_name(view.role)},
                {"createdAt", view.website.created_at}};
}

Json team_member_json(const core::TeamMember& member) {
    return Json{{"userId", member.account_id},
                {"name", nullable(member.name)},
                {"email", member.email},
                {"role", core::role_name(member.role)},
                {"joinedAt", member.joined_at}};
}

service::WebsiteDraft website_draft_from_json(const nlohmann::json& body) {
    require_known_fields(body, {"domain", "name", "timezone"});
    auto domain = string_field(body, "domain");
    if (!domain) {
        core::fail(core::ErrorCode::InvalidInput, "domain is required, e.g. \"example.com\".");
    }
    auto name = nullable_string_field(body, "name");
    return {*domain, name.value_or(std::nullopt), string_field(body, "timezone")};
}

service::WebsiteChanges website_changes_from_json(const nlohmann::json& body) {
    require_known_fields(body, {"domain", "name", "timezone"});
    return {string_field(body, "domain"), nullable_string_field(body, "name"),
            string_field(body, "timezone")};
}

service::TeamInvite team_invite_from_json(const nlohmann::json& body) {
    require_known_fields(body, {"email", "role"});
    auto email = string_field(body, "email");
    if (!email) {
        core::fail(core::ErrorCode::InvalidInput, "email is required.");
    }
    service::TeamInvite invite{*email};
    if (auto role_text = string_field(body, "role")) {
        auto role = core::parse_role(*role_text);
        if (!role) {
            core::fail(core::ErrorCode::InvalidInput, "role must be viewer or member.");
        }
        invite.role = *role;
    }
    return invite;
}

std::string team_removal_from_json(const nlohmann::json& body) {
    require_known_fields(body, {"userId"});
    auto user_id = string_field(body, "userId");
    if (!user_id) {
        core::fail(core::ErrorCode::InvalidInput, "userId is required.");
    }
    return *user_id;
}

} // namespace tokend::http
