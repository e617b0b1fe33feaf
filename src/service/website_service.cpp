// Website rules: who may list, create, read and change websites, and the validation of their
// fields. Team rules are in website_team.cpp.
#include "service/website_service.hpp"

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/validate.hpp"
#include "service/audit.hpp"
#include "service/guard.hpp"
#include "service/ids.hpp"
#include "store/websites.hpp"

namespace tokend::service {

using core::ErrorCode;
using core::Permission;

namespace {
const core::WebsiteOperation kListWebsites{Permission::WebsitesRead};
const core::WebsiteOperation kReadSettings{Permission::SettingsRead};
const core::WebsiteOperation kWriteSettings{Permission::SettingsWrite};
const core::WebsiteOperation kDeleteWebsite{Permission::WebsitesWrite, true};

std::string checked_timezone(const std::string& timezone) {
    if (!core::is_known_timezone(timezone)) {
        core::fail(ErrorCode::InvalidInput,
                   "timezone must be an IANA time zone such as Europe/Paris.");
    }
    return timezone;
}

// Domains are unique per owner; a member renaming someone else's website meets the owner's list.
[[noreturn]] void duplicate_domain(const std::string& domain, bool caller_is_owner) {
    core::fail(ErrorCode::Conflict,
               (caller_is_owner ? "You already have" : "The owner of this website already has") +
                   std::string(" a website with the domain ") + domain + ".");
}
} // namespace

core::Role WebsiteService::require_access(store::Connection& c, const core::Caller& caller,
                                          const std::string& website_id,
                                          const core::WebsiteOperation& operation) {
    auto memberships = store::websites::membership_on(c, caller.account_id, website_id);
    switch (core::decide(caller.scope, memberships, website_id, operation)) {
    case core::Verdict::Allowed:
        return memberships.front().role;
    case core::Verdict::MissingPermission:
        require_permission(caller, operation.permission);
        break;
    case core::Verdict::OutOfReach:
        break;
    case core::Verdict::RoleTooLow:
        core::fail(ErrorCode::Forbidden,
                   operation.owner_only
                       ? "Only the owner of website " + website_id + " can do this."
                       : "Your role on website " + website_id +
                             " is viewer, which allows reading only.");
    }
    // Not a member, outside the token's list, or no such website: one answer for all three.
    core::fail(ErrorCode::Forbidden, "You do not have access to website " + website_id + ".");
}

std::vector<core::WebsiteView> WebsiteService::list(const core::Caller& caller) {
    require_permission(caller, Permission::WebsitesRead);
    auto views = m_store.read(
        [&](store::Connection& c) { return store::websites::views_of(c, caller.account_id); });
    std::vector<core::WebsiteView> reachable;
    for (auto& view : views) {
        std::vector<core::Membership> membership{{view.website.id, view.role}};
        if (core::decide(caller.scope, membership, view.website.id, kListWebsites) ==
            core::Verdict::Allowed) {
            reachable.push_back(std::move(view));
        }
    }
    return reachable;
}

core::WebsiteView WebsiteService::create(const core::Caller& caller, const WebsiteDraft& draft) {
    require_permission(caller, Permission::WebsitesWrite);
    if (!caller.scope.website_ids.empty()) {
        core::fail(ErrorCode::Forbidden, "A token limited to some websites cannot create "
                                         "websites; use a token for all websites.");
    }
    return {insert_website(caller.account_id, draft, audit::actor_of(caller), caller.origin),
            core::Role::Owner};
}

core::WebsiteView WebsiteService::get(const core::Caller& caller, const std::string& website_id) {
    std::string id = parse_id(website_id, "websiteId");
    return m_store.read([&](store::Connection& c) {
        core::Role role = require_access(c, caller, id, kReadSettings);
        auto website = store::websites::by_id(c, id);
        if (!website) { // deleted between the two reads: the same answer as any unreachable id
            core::fail(ErrorCode::Forbidden, "You do not have access to website " + id + ".");
        }
        return core::WebsiteView{std::move(*website), role};
    });
}

core::WebsiteView WebsiteService::update(const core::Caller& caller, const std::string& website_id,
                                         const WebsiteChanges& changes) {
    std::string id = parse_id(website_id, "websiteId");
    std::optional<std::string> domain;
    if (changes.domain) {
        domain = core::normalize_domain(*changes.domain, "domain");
    }
    std::optional<std::optional<std::string>> name;
    if (changes.name) {
        name = *changes.name ? core::normalize_name(**changes.name, "name") : std::nullopt;
    }
    std::optional<std::string> timezone;
    if (changes.timezone) {
        timezone = checked_timezone(*changes.timezone);
    }
    return m_store.write([&](store::Connection& c) {
        core::Role role = require_access(c, caller, id, kWriteSettings);
        core::Website website = store::websites::by_id(c, id).value();
        website.domain = domain.value_or(website.domain);
        website.name = name.value_or(website.name);
        website.timezone = timezone.value_or(website.timezone);
        if (!store::websites::update(c, website)) {
            duplicate_domain(website.domain, role == core::Role::Owner);
        }
        audit::record_for_website(c, "website.updated", audit::actor_of(caller), caller.origin, id);
        return core::WebsiteView{std::move(website), role};
    });
}

void WebsiteService::refuse_delete(const std::string& website_id) {
    parse_id(website_id, "websiteId");
    core::fail(ErrorCode::Forbidden, "Websites cannot be deleted through the API; delete it from "
                                     "the admin page or with `tokend website delete`.");
}

void WebsiteService::delete_owned(const core::Caller& caller, const std::string& website_id) {
    std::string id = parse_id(website_id, "websiteId");
    m_store.write([&](store::Connection& c) {
        require_access(c, caller, id, kDeleteWebsite);
        audit::record_for_website(c, "website.deleted", audit::actor_of(caller), caller.origin, id);
        store::websites::remove(c, id);
    });
}

core::Website WebsiteService::create_owned(const std::string& owner_account_id,
                                           const WebsiteDraft& draft) {
    return insert_website(owner_account_id, draft, audit::cli_actor(), {});
}

core::Website WebsiteService::insert_website(const std::string& owner_account_id,
                                             const WebsiteDraft& draft,
                                             const core::AuditActor& actor,
                                             const core::Origin& origin) {
    core::Website website;
    website.domain = core::normalize_domain(draft.domain, "domain");
    if (draft.name) {
        website.name = core::normalize_name(*draft.name, "name");
    }
    website.timezone = checked_timezone(draft.timezone.value_or("UTC"));
    website.id = new_object_id();
    website.owner_id = owner_account_id;
    website.created_at = core::now_timestamp();
    bool inserted = m_store.write([&](store::Connection& c) {
        if (!store::websites::insert_with_owner(c, website)) {
            return false;
        }
        audit::record_for_website(c, "website.created", actor, origin, website.id);
        return true;
    });
    if (!inserted) {
        duplicate_domain(website.domain, true);
    }
    return website;
}

std::vector<core::WebsiteView> WebsiteService::views_of_account(const std::string& account_id) {
    return m_store.read(
        [&](store::Connection& c) { return store::websites::views_of(c, account_id); });
}

void WebsiteService::delete_any(const std::string& website_id) {
    std::string id = parse_id(website_id, "website id");
    bool removed = m_store.write([&](store::Connection& c) {
        audit::record_for_website(c, "website.deleted", audit::cli_actor(), {}, id);
        return store::websites::remove(c, id);
    });
    if (!removed) {
        core::fail(ErrorCode::NotFound, "No website has this id.");
    }
}

} // namespace tokend::service
