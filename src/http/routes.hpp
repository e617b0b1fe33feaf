// Route registration, one function per area of the API. Each file reads as a list of routes.
#pragma once

#include "core/clock.hpp"
#include "http/router.hpp"
#include "service/account_service.hpp"
#include "service/audit_log.hpp"
#include "service/authenticator.hpp"
#include "service/introspection.hpp"
#include "service/leak_report.hpp"
#include "service/session_service.hpp"
#include "service/token_listing.hpp"
#include "service/token_service.hpp"
#include "service/website_service.hpp"
#include "store/store.hpp"

namespace tokend::http {

struct Services {
    store::Store& store;
    service::Authenticator& authenticator;
    service::AccountService& accounts;
    service::TokenService& tokens;
    service::WebsiteService& websites;
    service::SessionService& sessions;
    core::Clock clock;
    service::TokenListing& listing;
    service::Introspection& introspection;
    service::LeakReport& leak_reports;
    service::AuditLog& audit;
    std::string now() const { return core::format_timestamp(clock()); }
};

void add_token_routes(Router& router, Services& services);
void add_account_routes(Router& router, Services& services);
void add_website_routes(Router& router, Services& services);
// `secure_cookie`: the server speaks TLS, so the session cookie is marked Secure.
void add_session_routes(Router& router, Services& services, bool secure_cookie);
void add_check_routes(Router& router, Services& services);
void add_introspect_routes(Router& router, Services& services);
void add_credential_routes(Router& router, Services& services);
void add_audit_routes(Router& router, Services& services);
void add_static_routes(Router& router);
void add_openapi_routes(Router& router);

} // namespace tokend::http
