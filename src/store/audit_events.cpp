// audit_events table.
#include "store/audit_events.hpp"

#include "sql_embedded.hpp"
#include "store/row.hpp"

namespace tokend::store::audit_events {

namespace {
// Column order of every audit_event SELECT in sql/queries/audit_event_*.sql.
core::AuditEvent read_event(SQLite::Statement& s) {
    core::AuditEvent e;
    e.id = s.getColumn(0).getString();
    e.created_at = s.getColumn(1).getString();
    e.event = s.getColumn(2).getString();
    e.success = s.getColumn(3).getString() == "success";
    e.account_id = optional_text(s.getColumn(4));
    e.token_id = optional_text(s.getColumn(5));
    e.actor.type =
        core::parse_actor_type(s.getColumn(6).getText()).value_or(core::ActorType::Anonymous);
    e.actor.id = optional_text(s.getColumn(7));
    e.actor.account_id = optional_text(s.getColumn(8));
    if (auto type = optional_text(s.getColumn(9))) {
        e.target =
            core::AuditTarget{*type, optional_text(s.getColumn(10)), optional_text(s.getColumn(11)),
                              optional_text(s.getColumn(12))};
    }
    e.ip = optional_text(s.getColumn(13));
    e.user_agent = optional_text(s.getColumn(14));
    e.request_id = optional_text(s.getColumn(15));
    e.details = core::details_from_json(s.getColumn(16).getText());
    return e;
}

std::vector<core::AuditEvent> all(Connection::Query& q) {
    std::vector<core::AuditEvent> events;
    while (q->executeStep()) {
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
    bind_optional(*q, ":account_id", e.account_id);
    bind_optional(*q, ":token_id", e.token_id);
    q->bind(":actor_type", std::string(core::actor_type_name(e.actor.type)));
    bind_optional(*q, ":actor_id", e.actor.id);
    bind_optional(*q, ":actor_account_id", e.actor.account_id);
    if (e.target) {
        q->bind(":target_type", e.target->type);
        bind_optional(*q, ":target_id", e.target->id);
        bind_optional(*q, ":target_name", e.target->name);
        bind_optional(*q, ":target_display_key", e.target->display_key);
    } else {
        for (const char* name :
             {":target_type", ":target_id", ":target_name", ":target_display_key"}) {
            q->bind(name);
        }
    }
    bind_optional(*q, ":ip", e.ip);
    bind_optional(*q, ":user_agent", e.user_agent);
    bind_optional(*q, ":request_id", e.request_id);
    q->bind(":details", core::details_to_json(e.details));
    q->exec();
}

std::vector<core::AuditEvent> page_of_account(Connection& c, const PageRequest& r) {
    auto q = c.query(r.after ? sql::audit_event_page_after : sql::audit_event_page_first);
    q->bind(":account_id", r.account_id);
    bind_optional(*q, ":event", r.event);
    bind_optional(*q, ":token_id", r.token_id);
    bind_optional(*q, ":outcome", r.outcome);
    bind_optional(*q, ":since", r.since);
    bind_optional(*q, ":until", r.until);
    if (r.after) {
        q->bind(":after_created_at", r.after->created_at);
        q->bind(":after_id", r.after->id);
    }
    q->bind(":limit", r.limit);
    return all(q);
}

std::vector<core::AuditEvent> all_since(Connection& c, const std::optional<std::string>& since) {
    auto q = c.query(sql::audit_event_all);
    bind_optional(*q, ":since", since);
    return all(q);
}

int purge_before(Connection& c, const std::string& cutoff) {
    auto q = c.query(sql::audit_event_purge);
    q->bind(":cutoff", cutoff);
    return q->exec();
}

std::vector<core::AccessToken> tokens_expired_before(Connection& c, const std::string& cutoff) {
    auto q = c.query(sql::audit_tokens_expired_before);
    q->bind(":cutoff", cutoff);
    std::vector<core::AccessToken> tokens;
    while (q->executeStep()) {
        core::AccessToken token;
        token.id = q->getColumn(0).getString();
        token.account_id = q->getColumn(1).getString();
        token.name = optional_text(q->getColumn(2));
        token.display_key = q->getColumn(3).getString();
        tokens.push_back(std::move(token));
    }
    return tokens;
}

} // namespace tokend::store::audit_events
