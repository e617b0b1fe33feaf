// audit_events table.
#include "store/audit_events.hpp"

#include "sql_embedded.hpp"

namespace tokend::store::audit_events {

namespace {
// Column order of every audit_event SELECT in sql/sqlite/queries/audit_event_*.sql.
core::AuditEvent read_event(Statement& s) {
    core::AuditEvent e;
    e.id = s.text(0);
    e.created_at = s.text(1);
    e.event = s.text(2);
    e.success = s.text(3) == "success";
    e.account_id = s.optional_text(4);
    e.token_id = s.optional_text(5);
    e.actor.type = core::parse_actor_type(s.text(6)).value_or(core::ActorType::Anonymous);
    e.actor.id = s.optional_text(7);
    e.actor.account_id = s.optional_text(8);
    if (auto type = s.optional_text(9)) {
        e.target =
            core::AuditTarget{*type, s.optional_text(10), s.optional_text(11), s.optional_text(12)};
    }
    e.ip = s.optional_text(13);
    e.user_agent = s.optional_text(14);
    e.request_id = s.optional_text(15);
    e.details = core::details_from_json(s.text(16));
    return e;
}

std::vector<core::AuditEvent> all(Connection::Query& q) {
    std::vector<core::AuditEvent> events;
    while (q->step()) {
        events.push_back(read_event(*q));
    }
    return events;
}
} // namespace

void insert(Connection& c, const core::AuditEvent& e) {
    auto q = c.query(sql::audit_event_insert);
    q->bind(":id", e.id);
    q->bind(":created_at", e.created_at);
    q->bind(":event", e.event);
    q->bind(":outcome", std::string(core::outcome_name(e.success)));
    q->bind(":account_id", e.account_id);
    q->bind(":token_id", e.token_id);
    q->bind(":actor_type", std::string(core::actor_type_name(e.actor.type)));
    q->bind(":actor_id", e.actor.id);
    q->bind(":actor_account_id", e.actor.account_id);
    if (e.target) {
        q->bind(":target_type", e.target->type);
        q->bind(":target_id", e.target->id);
        q->bind(":target_name", e.target->name);
        q->bind(":target_display_key", e.target->display_key);
    } else {
        for (const char* name :
             {":target_type", ":target_id", ":target_name", ":target_display_key"}) {
            q->bind_null(name);
        }
    }
    q->bind(":ip", e.ip);
    q->bind(":user_agent", e.user_agent);
    q->bind(":request_id", e.request_id);
    q->bind(":details", core::details_to_json(e.details));
    q->exec();
}

std::vector<core::AuditEvent> page_of_account(Connection& c, const PageRequest& r) {
    auto q = c.query(r.after ? sql::audit_event_page_after : sql::audit_event_page_first);
    q->bind(":account_id", r.account_id);
    q->bind(":event", r.event);
    q->bind(":token_id", r.token_id);
    q->bind(":outcome", r.outcome);
    q->bind(":since", r.since);
    q->bind(":until", r.until);
    if (r.after) {
        q->bind(":after_created_at", r.after->created_at);
        q->bind(":after_id", r.after->id);
    }
    q->bind(":limit", r.limit);
    return all(q);
}

std::vector<core::AuditEvent> all_since(Connection& c, const std::optional<std::string>& since) {
    auto q = c.query(sql::audit_event_all);
    q->bind(":since", since);
    return all(q);
}

int purge_before(Connection& c, const std::string& cutoff) {
    auto q = c.query(sql::audit_event_purge);
    q->bind(":cutoff", cutoff);
    return static_cast<int>(q->exec());
}

} // namespace tokend::store::audit_events
