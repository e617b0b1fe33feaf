// GET /api/v1/admin/audit-events (SPEC §12): always a page (§11.11's shape), newest first.
// Every filter is checked here; a bad one is a 400 naming it, and the value is never echoed.
#include "core/error.hpp"
#include "http/codec.hpp"
#include "http/routes.hpp"
#include "service/ids.hpp"

namespace tokend::http {

using core::ErrorCode;

namespace {
const std::string kAuditEvents = "/api/v1/admin/audit-events";

std::optional<std::string> moment(const httplib::Request& req, const char* name) {
    auto text = single_param(req, name);
    if (!text) {
        return std::nullopt;
    }
    auto when = core::parse_timestamp(*text);
    if (!when) {
        core::fail(ErrorCode::InvalidInput,
                   std::string(name) + " must be an ISO-8601 UTC time like 2027-01-01T00:00:00Z.");
    }
    return core::format_timestamp(*when);
}

service::AuditQuery audit_query(const httplib::Request& req) {
    service::AuditQuery q;
    q.event = single_param(req, "event");
    if (q.event && !core::is_audit_event_name(*q.event)) {
        core::fail(ErrorCode::InvalidInput, "event must be one of the event names of the audit "
                                            "log, e.g. token.created.");
    }
    if (auto id = single_param(req, "tokenId")) {
        q.token_id = service::parse_id(*id, "tokenId");
    }
    if (auto outcome = single_param(req, "outcome")) {
        if (*outcome != "success" && *outcome != "denied") {
            core::fail(ErrorCode::InvalidInput, "outcome must be success or denied.");
        }
        q.success = *outcome == "success";
    }
    q.since = moment(req, "since");
    q.until = moment(req, "until");
    if (auto limit = single_param(req, "limit")) {
        bool digits = !limit->empty() && limit->size() <= 3 &&
                      limit->find_first_not_of("0123456789") == std::string::npos;
        q.limit = digits ? std::stoi(*limit) : 0;
        if (q.limit < 1 || q.limit > service::kMaxAuditPage) {
            core::fail(ErrorCode::InvalidInput, "limit must be an integer from 1 to 100.");
        }
    }
    q.cursor = single_param(req, "cursor");
    return q;
}

Json optional_json(const std::optional<std::string>& value) {
    return value ? Json(*value) : Json(nullptr);
}

// Only the validated filters go into the next link, so nothing the client sent is echoed raw.
std::string next_link(const service::AuditQuery& q, const std::string& cursor) {
    std::string url = kAuditEvents + "?limit=" + std::to_string(q.limit);
    for (const auto& [name, value] : {std::pair{"event", q.event}, std::pair{"tokenId", q.token_id},
                                      std::pair{"since", q.since}, std::pair{"until", q.until}}) {
        if (value) {
            url += std::string("&") + name + "=" + *value;
        }
    }
    if (q.success) {
        url += std::string("&outcome=") + std::string(core::outcome_name(*q.success));
    }
    return "<" + url + "&cursor=" + cursor + ">; rel=\"next\"";
}
} // namespace

Json audit_event_json(const core::AuditEvent& e) {
    Json details = Json::object();
    for (const auto& entry : e.details) {
        details[entry.first] = entry.second;
    }
    Json target = nullptr;
    if (e.target) {
        target = {{"type", e.target->type},
                  {"id", optional_json(e.target->id)},
                  {"name", optional_json(e.target->name)},
                  {"displayKey", optional_json(e.target->display_key)}};
    }
    return {{"_id", e.id},
            {"createdAt", e.created_at},
            {"event", e.event},
            {"outcome", core::outcome_name(e.success)},
            {"actor",
             {{"type", core::actor_type_name(e.actor.type)},
              {"id", optional_json(e.actor.id)},
              {"accountId", optional_json(e.actor.account_id)}}},
            {"target", target},
            {"ip", optional_json(e.ip)},
            {"userAgent", optional_json(e.user_agent)},
            {"requestId", optional_json(e.request_id)},
            {"details", details}};
}

void add_audit_routes(Router& router, Services& s) {
    router.add("GET", kAuditEvents, core::Permission::ApiKeysRead, [&s](Exchange& x) {
        auto query = audit_query(x.req);
        auto page = s.audit.list(x.caller, query);
        Json data = Json::array();
        for (const auto& event : page.events) {
            data.push_back(audit_event_json(event));
        }
        if (page.next_cursor) {
            x.res.set_header("Link", next_link(query, *page.next_cursor));
        }
        write_page(x.res, std::move(data),
                   {{"cursor", optional_json(page.next_cursor)},
                    {"hasMore", page.next_cursor.has_value()}});
    });
}

} // namespace tokend::http
