// JSON shapes of the API (SPEC §6): domain values to JSON, request bodies to service requests.
#pragma once

#include <nlohmann/json.hpp>

#include "core/types.hpp"
#include "http/envelope.hpp"
#include "service/token_service.hpp"

namespace tokend::http {

Json token_json(const core::AccessToken& token);
Json account_json(const core::Account& account);

service::TokenRequest token_request_from_json(const nlohmann::json& body);

} // namespace tokend::http
