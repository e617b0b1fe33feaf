// The one place that writes response bodies: the success envelope and the error envelope,
// and the one mapping from error codes to HTTP statuses.
#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>

#include "core/error.hpp"

namespace tokend::http {

using Json = nlohmann::ordered_json;

int status_for(core::ErrorCode code);
// {"status":"success","data":[…]} with status 200.
void write_success(httplib::Response& res, Json data);
// {"status":"error","error":{"code":status,"message":…}} plus the headers the status needs
// (WWW-Authenticate on 401, Retry-After when throttled, X-Tokend-Reason when the error names a
// reason — the gate's refusals and an expired token).
void write_error(httplib::Response& res, const core::Error& error);
void write_error(httplib::Response& res, int status, const std::string& message);

} // namespace tokend::http
