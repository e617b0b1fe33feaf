// Websites and their teams (SPEC §6): every operation on a website passes core::decide, with
// roles read from the database at the moment of use, so a removed member loses access at once.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/access.hpp"
#include "core/types.hpp"
#include "store/store.hpp"

namespace tokend::service {

struct WebsiteDraft {
    std::string domain;                  // raw; validated here
    std::optional<std::string> name;     // raw; validated here
    std::optional<std::string> timezone; // IANA name; default UTC
};

// A partial update: each field is absent (nullopt) when the caller omitted it. Raw values.
struct WebsiteChanges {
    std::optional<std::string> domain;
    std::optional<std::optional<std::string>> name; // present-but-null clears the name
    std::optional<std::string> timezone;
};

struct TeamInvite {
    std::string email; // raw; validated here
    core::Role role = core::Role::Viewer;
};

class WebsiteService {
public:
    explicit WebsiteService(store::Store& store) : m_store(store) {}

    // The API, on behalf of a caller.
    std::vector<core::WebsiteView> list(const core::Caller& caller);
    core::WebsiteView create(const core::Caller& caller, const WebsiteDraft& draft);
    core::WebsiteView get(const core::Caller& caller, const std::string& website_id);
    core::WebsiteView update(const core::Caller& caller, const std::string& website_id,
                             const WebsiteChanges& changes);
    // DELETE through the API is always refused (after the id is checked): SPEC §6.
    [[noreturn]] void refuse_delete(const std::string& website_id);
    // For the admin page (a session caller): the owner deletes, with delete_any's effects.
    void delete_owned(const core::Caller& caller, const std::string& website_id);
    std::vector<core::TeamMember> team(const core::Caller& caller, const std::string& website_id);
    core::TeamMember add_member(const core::Caller& caller, const std::string& website_id,
                                const TeamInvite& invite);
    void remove_member(const core::Caller& caller, const std::string& website_id,
                       const std::string& user_id);

    // The operator's commands (CLI, admin tools): no caller, any website of the data dir.
    // Creates a website owned by `owner_account_id`. Conflict on a duplicate domain.
    core::Website create_owned(const std::string& owner_account_id, const WebsiteDraft& draft);
    std::vector<core::WebsiteView> views_of_account(const std::string& account_id);
    void add_member_any(const std::string& website_id, const std::string& account_id,
                        core::Role role);
    void remove_member_any(const std::string& website_id, const std::string& account_id);
    // Memberships go with the website; token website lists keep its id, so no token widens.
    void delete_any(const std::string& website_id);

private:
    core::Website insert_website(const std::string& owner_account_id, const WebsiteDraft& draft,
                                 const core::AuditActor& actor, const core::Origin& origin);
    // The caller's role on the website, or Forbidden as SPEC §5 decides.
    static core::Role require_access(store::Connection& c, const core::Caller& caller,
                                     const std::string& website_id,
                                     const core::WebsiteOperation& operation);

    store::Store& m_store;
};

} // namespace tokend::service
