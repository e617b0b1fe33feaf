// The client address of a request (SPEC §11.6), read from the socket and, behind a trusted proxy,
// from X-Real-IP / X-Forwarded-For. Every use of "the client's address" goes through here: the
// failed-auth and sign-in throttles, allowedIps, the credentials route's limit.
#pragma once

#include <httplib.h>

#include <string>

#include "core/audit_event.hpp"
#include "core/ip_range.hpp"

namespace tokend::http {

std::string client_address(const httplib::Request& req, const core::IpRanges& trusted_proxies);

// "Who and from where" for the audit log: `client` (from client_address), the User-Agent cut to
// core::kMaxUserAgent, and the request id the access log and X-Request-Id carry.
core::Origin origin_of(const httplib::Request& req, const std::string& client);

} // namespace tokend::http
