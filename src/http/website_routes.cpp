// /api/v1/admin/websites and /api/v1/admin/websites/{id}/team (SPEC §6). The role guards and the
// "403 for any unreachable id" rule live in WebsiteService; the permissions are listed here.
#include "http/codec.hpp"
#include "http/json_body.hpp"
#include "http/routes.hpp"

namespace tokend::http {

using core::Permission;

namespace {
void add_websites(Router& router, Services& s) {
    router.add("GET", "/api/v1/admin/websites", Permission::WebsitesRead, [&s](Exchange& x) {
        Json data = Json::array();
        for (const auto& view : s.websites.list(x.caller)) {
            data.push_back(website_json(view));
        }
        write_success(x.res, std::move(data));
    });

    router.add("POST", "/api/v1/admin/websites", Permission::WebsitesWrite, [&s](Exchange& x) {
        auto draft = website_draft_from_json(parse_object_body(x.req));
        Json website = website_json(s.websites.create(x.caller, draft));
        website["websiteId"] = website["_id"]; // the hosted API's name for the new id
        write_success(x.res, Json::array({std::move(website)}));
    });

    router.add("GET", "/api/v1/admin/websites/{id}", Permission::SettingsRead, [&s](Exchange& x) {
        write_success(x.res, Json::array({website_json(s.websites.get(x.caller, x.params[0]))}));
    });

    router.add("PUT", "/api/v1/admin/websites/{id}", Permission::SettingsWrite, [&s](Exchange& x) {
        auto changes = website_changes_from_json(parse_object_body(x.req));
        auto view = s.websites.update(x.caller, x.params[0], changes);
        write_success(x.res, Json::array({website_json(view)}));
    });

    // Every bearer token, whatever its permissions, gets the 403 that points to the admin page
    // and the CLI (SPEC §6); only an admin-page session (no token id) deletes, owner only.
    router.add("DELETE", "/api/v1/admin/websites/{id}", std::nullopt, [&s](Exchange& x) {
        if (!x.caller.token_id.empty()) {
            s.websites.refuse_delete(x.params[0]);
        }
        s.websites.delete_owned(x.caller, x.params[0]);
        write_success(x.res, Json::array({{{"message", "Website deleted successfully"}}}));
    });
}

void add_team(Router& router, Services& s) {
    router.add("GET", "/api/v1/admin/websites/{id}/team", Permission::TeamRead, [&s](Exchange& x) {
        Json data = Json::array();
        for (const auto& member : s.websites.team(x.caller, x.params[0])) {
            data.push_back(team_member_json(member));
        }
        write_success(x.res, std::move(data));
    });

    // Owner only, checked by the service (the permission alone is not enough).
    router.add("POST", "/api/v1/admin/websites/{id}/team", Permission::TeamWrite,
               [&s](Exchange& x) {
                   auto invite = team_invite_from_json(parse_object_body(x.req));
                   auto member = s.websites.add_member(x.caller, x.params[0], invite);
                   write_success(x.res, Json::array({team_member_json(member)}));
               });

    router.add(
        "DELETE", "/api/v1/admin/websites/{id}/team", Permission::TeamWrite, [&s](Exchange& x) {
            auto user_id = team_removal_from_json(parse_object_body(x.req));
            s.websites.remove_member(x.caller, x.params[0], user_id);
            write_success(x.res, Json::array({{{"message", "Team member removed successfully"}}}));
        });
}
} // namespace

void add_website_routes(Router& router, Services& services) {
    add_websites(router, services);
    add_team(router, services);
}

} // namespace tokend::http
