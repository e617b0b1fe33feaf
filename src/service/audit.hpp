// Building and writing audit events (SPEC §12) from a service's point of view: the actor comes
// from the Caller (or is passed for CLI, system and anonymous entry points), the ip, user agent
// and request id from its Origin. record() must run inside the write of the change it records.
#pragma once

#include <string>

#include "core/audit_event.hpp"
#include "core/types.hpp"
#include "store/connection.hpp"

namespace tokend::service::audit {

// token → {token, token id, account}; session → {session, account id, account} (never the
// cookie or anything derived from it).
core::AuditActor actor_of(const core::Caller& caller);
inline core::AuditActor cli_actor() {
    return {core::ActorType::Cli, std::nullopt, std::nullopt};
}
inline core::AuditActor system_actor() {
    return {core::ActorType::System, std::nullopt, std::nullopt};
}
inline core::AuditActor anonymous_actor() {
    return {core::ActorType::Anonymous, std::nullopt, std::nullopt};
}

// A success event in `account_id`'s log at `now`, with a fresh id.
core::AuditEvent make(std::string_view name, core::AuditActor actor, const core::Origin& origin,
                      std::optional<std::string> account_id, std::string now);
inline core::AuditEvent by_caller(std::string_view name, const core::Caller& caller,
                                  std::string now) {
    return make(name, actor_of(caller), caller.origin, caller.account_id, std::move(now));
}

// Makes `token` the event's target and the token its tokenId filter finds it under.
void about_token(core::AuditEvent& event, const core::AccessToken& token);

void record(store::Connection& c, const core::AuditEvent& event);

// Records `name` about website `website_id` in its owner's log, inside the change's write (the
// website is read there, so call it before a delete). The target is the website unless given.
void record_for_website(store::Connection& c, std::string_view name, const core::AuditActor& actor,
                        const core::Origin& origin, const std::string& website_id,
                        std::optional<core::AuditTarget> target = std::nullopt,
                        core::AuditDetails details = {});

} // namespace tokend::service::audit
