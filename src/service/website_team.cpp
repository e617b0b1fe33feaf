// Team rules: who sees a website's team, and the owner's adding and removing of members.
// Checks and changes share one write transaction, so a concurrent removal cannot slip between.
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/validate.hpp"
#include "service/audit.hpp"
#include "service/ids.hpp"
#include "service/website_service.hpp"
#include "store/accounts.hpp"
#include "store/websites.hpp"

namespace tokend::service {

using core::ErrorCode;
using core::Permission;

namespace {
const core::WebsiteOperation kReadTeam{Permission::TeamRead};
const core::WebsiteOperation kChangeTeam{Permission::TeamWrite, true};

// A website has exactly one owner, its creator; nobody is invited into that role.
void require_invitable(core::Role role) {
    if (role == core::Role::Owner) {
        core::fail(ErrorCode::InvalidInput,
                   "role must be viewer or member; a website has one owner, its creator.");
    }
}

core::TeamMember member_of(store::Connection& c, const std::string& website_id,
                           const std::string& account_id) {
    for (auto& member : store::websites::team_of(c, website_id)) {
        if (member.account_id == account_id) {
            return member;
        }
    }
    core::fail(ErrorCode::NotFound, "This account is not on the website's team.");
}

// A team member as an audit event's target: the account, by id (and email when known).
core::AuditTarget member_target(const std::string& account_id, std::optional<std::string> email) {
    return {"member", account_id, std::move(email), std::nullopt};
}

void require_website(store::Connection& c, const std::string& website_id) {
    if (!store::websites::by_id(c, website_id)) {
        core::fail(ErrorCode::NotFound, "No website has this id.");
    }
}
} // namespace

std::vector<core::TeamMember> WebsiteService::team(const core::Caller& caller,
                                                   const std::string& website_id) {
    std::string id = parse_id(website_id, "websiteId");
    return m_store.read([&](store::Connection& c) {
        require_access(c, caller, id, kReadTeam);
        return store::websites::team_of(c, id);
    });
}

core::TeamMember WebsiteService::add_member(const core::Caller& caller,
                                            const std::string& website_id,
                                            const TeamInvite& invite) {
    std::string id = parse_id(website_id, "websiteId");
    std::string email = core::normalize_email(invite.email, "email");
    require_invitable(invite.role);
    return m_store.write([&](store::Connection& c) {
        require_access(c, caller, id, kChangeTeam);
        auto account = store::accounts::by_email(c, email);
        if (!account) {
            core::fail(ErrorCode::NotFound, "No account has this email; create the account first.");
        }
        if (account->id == caller.account_id) {
            core::fail(ErrorCode::InvalidInput, "You cannot add yourself: you own this website.");
        }
        if (!store::websites::add_member(c, account->id, id, invite.role, core::now_timestamp())) {
            core::fail(ErrorCode::Conflict, "This account is already on the website's team.");
        }
        audit::record_for_website(c, "member.added", audit::actor_of(caller), caller.origin, id,
                                  member_target(account->id, account->email),
                                  {{"role", std::string(core::role_name(invite.role))}});
        return member_of(c, id, account->id);
    });
}

void WebsiteService::remove_member(const core::Caller& caller, const std::string& website_id,
                                   const std::string& user_id) {
    std::string id = parse_id(website_id, "websiteId");
    std::string member_id = parse_id(user_id, "userId");
    m_store.write([&](store::Connection& c) {
        require_access(c, caller, id, kChangeTeam);
        if (member_id == caller.account_id) {
            core::fail(ErrorCode::InvalidInput,
                       "You cannot remove yourself: you own this website.");
        }
        if (!store::websites::remove_member(c, member_id, id)) {
            core::fail(ErrorCode::NotFound, "This account is not on the website's team.");
        }
        audit::record_for_website(c, "member.removed", audit::actor_of(caller), caller.origin, id,
                                  member_target(member_id, std::nullopt));
    });
}

void WebsiteService::add_member_any(const std::string& website_id, const std::string& account_id,
                                    core::Role role) {
    std::string id = parse_id(website_id, "website id");
    require_invitable(role);
    m_store.write([&](store::Connection& c) {
        require_website(c, id);
        if (!store::websites::add_member(c, account_id, id, role, core::now_timestamp())) {
            core::fail(ErrorCode::Conflict, "This account is already on the website's team.");
        }
        audit::record_for_website(c, "member.added", audit::cli_actor(), {}, id,
                                  member_target(account_id, std::nullopt),
                                  {{"role", std::string(core::role_name(role))}});
    });
}

void WebsiteService::remove_member_any(const std::string& website_id,
                                       const std::string& account_id) {
    std::string id = parse_id(website_id, "website id");
    m_store.write([&](store::Connection& c) {
        require_website(c, id);
        auto role = core::role_on(store::websites::membership_on(c, account_id, id), id);
        if (role == core::Role::Owner) {
            core::fail(ErrorCode::Conflict,
                       "The owner cannot be removed from a website; delete the website instead.");
        }
        if (!store::websites::remove_member(c, account_id, id)) {
            core::fail(ErrorCode::NotFound, "This account is not on the website's team.");
        }
        audit::record_for_website(c, "member.removed", audit::cli_actor(), {}, id,
                                  member_target(account_id, std::nullopt));
    });
}

} // namespace tokend::service
