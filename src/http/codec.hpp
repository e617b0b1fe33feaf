// JSON shapes of the API (SPEC §6): domain values to JSON, request bodies to service requests.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "core/types.hpp"
#include "http/envelope.hpp"
#include "service/token_service.hpp"
#include "service/website_service.hpp"

namespace tokend::http {

// The token object of SPEC §6 and §11.1; `now` (a normalized timestamp) decides `state` and
// whether the rotated-away key still works.
// A query parameter given at most once: nullopt when absent, InvalidInput naming it when repeated.
std::optional<std::string> single_param(const httplib::Request& req, const char* name);

Json token_json(const core::AccessToken& token, const std::string& now);
// SPEC §12 event object.
Json audit_event_json(const core::AuditEvent& event);
Json account_json(const core::Account& account);

service::TokenRequest token_request_from_json(const nlohmann::json& body);

// The token lifecycle's bodies (http/lifecycle_codec.cpp). expiresAt: absent, null or a
// moment; malformed or not a string → InvalidInput naming it (the service checks "future").
service::RequestedExpiry expires_at_value(const nlohmann::json& value);
service::RequestedExpiry expires_at_field(const nlohmann::json& body);
service::RotateRequest rotate_request_from_json(const nlohmann::json& body);
service::TokenChanges token_changes_from_json(const nlohmann::json& body);

Json website_json(const core::WebsiteView& view);
Json team_member_json(const core::TeamMember& member);

service::WebsiteDraft website_draft_from_json(const nlohmann::json& body);
service::WebsiteChanges website_changes_from_json(const nlohmann::json& body);
service::TeamInvite team_invite_from_json(const nlohmann::json& body);
// The body of DELETE …/team: {"userId": "<id>"}; the raw id (the service checks its shape).
std::string team_removal_from_json(const nlohmann::json& body);

} // namespace tokend::http
