// Audit event construction.
#include "service/audit.hpp"

#include "core/clock.hpp"
#include "service/ids.hpp"
#include "store/audit_events.hpp"
#include "store/websites.hpp"

namespace tokend::service::audit {

namespace {
std::optional<std::string> non_empty(const std::string& text) {
    return text.empty() ? std::nullopt : std::optional(text);
}
} // namespace

core::AuditActor actor_of(const core::Caller& caller) {
    if (caller.cli) {
        return {core::ActorType::Cli, std::nullopt, caller.account_id};
    }
    if (!caller.token_id.empty()) {
        return {core::ActorType::Token, caller.token_id, caller.account_id};
    }
    return {core::ActorType::Session, caller.account_id, caller.account_id};
}

core::AuditEvent make(std::string_view name, core::AuditActor actor, const core::Origin& origin,
                      std::optional<std::string> account_id, std::string now) {
    core::AuditEvent e;
    e.id = new_object_id();
    e.created_at = std::move(now);
    e.event = std::string(name);
    e.account_id = std::move(account_id);
    e.actor = std::move(actor);
    if (e.actor.type == core::ActorType::Token) {
        e.token_id = e.actor.id;
    }
    e.ip = non_empty(origin.ip);
    e.user_agent = non_empty(origin.user_agent);
    e.request_id = non_empty(origin.request_id);
    return e;
}

void about_token(core::AuditEvent& event, const core::AccessToken& token) {
    event.target = core::AuditTarget{"token", token.id, token.name, token.display_key};
    event.token_id = token.id;
}

void record(store::Connection& c, const core::AuditEvent& event) {
    store::audit_events::insert(c, event);
}

void record_for_website(store::Connection& c, std::string_view name, const core::AuditActor& actor,
                        const core::Origin& origin, const std::string& website_id,
                        std::optional<core::AuditTarget> target, core::AuditDetails details) {
    auto website = store::websites::by_id(c, website_id);
    if (!website) {
        return; // nothing changed: the caller's own check answers 404
    }
    auto event = make(name, actor, origin, website->owner_id, core::now_timestamp());
    event.target = target
                       ? std::move(*target)
                       : core::AuditTarget{"website", website->id,
                                           website->name.value_or(website->domain), std::nullopt};
    if (target) {
        details.insert(details.begin(), {"websiteId", website->id});
    }
    event.details = std::move(details);
    record(c, event);
}

} // namespace tokend::service::audit
