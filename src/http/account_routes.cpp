// /api/v1/admin/account and /healthz.
#include "core/error.hpp"
#include "http/codec.hpp"
#include "http/routes.hpp"

namespace tokend::http {

using core::Permission;

void add_account_routes(Router& router, Services& s) {
    router.add("GET", "/api/v1/admin/account", Permission::AnalyticsRead, [&s](Exchange& x) {
        Json account = account_json(s.accounts.current(x.caller));
        account["hasAccess"] = true;
        write_success(x.res, Json::array({std::move(account)}));
    });

    // For load balancers and Docker HEALTHCHECK: no auth; 200 only if the database answers.
    router.add_public("GET", "/healthz", [&s](Exchange& x) {
        if (!s.store.ping()) {
            core::fail(core::ErrorCode::Unavailable, "The database does not answer.");
        }
        x.res.set_content(R"({"status":"ok"})", "application/json");
    });
}

} // namespace tokend::http
