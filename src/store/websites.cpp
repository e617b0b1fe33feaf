// Websites and memberships tables.
#include "store/websites.hpp"

#include "sql_embedded.hpp"

namespace tokend::store::websites {

namespace {
// The CHECK constraint allows only the three names; a reader never widens an unknown one.
core::Role read_role(const std::string& name) {
    return core::parse_role(name).value_or(core::Role::Viewer);
}

// Column order of website SELECTs: id, owner_id, domain, name, timezone, created_at.
core::Website read_website(Statement& s) {
    core::Website website;
    website.id = s.text(0);
    website.owner_id = s.text(1);
    website.domain = s.text(2);
    website.name = s.optional_text(3);
    website.timezone = s.text(4);
    website.created_at = s.text(5);
    return website;
}

} // namespace

bool insert_with_owner(Connection& c, const core::Website& website) {
    auto q = c.query(sql::website_insert);
    q->bind(":id", website.id);
    q->bind(":owner_id", website.owner_id);
    q->bind(":domain", website.domain);
    q->bind(":name", website.name);
    q->bind(":timezone", website.timezone);
    q->bind(":created_at", website.created_at);
    if (!q->exec_unless_duplicate()) {
        return false;
    }
    add_member(c, website.owner_id, website.id, core::Role::Owner, website.created_at);
    return true;
}

std::optional<core::Website> by_id(Connection& c, const std::string& id) {
    auto q = c.query(sql::website_by_id);
    q->bind(":id", id);
    if (!q->step()) {
        return std::nullopt;
    }
    return read_website(*q);
}

std::vector<core::WebsiteView> views_of(Connection& c, const std::string& account_id) {
    auto q = c.query(sql::website_views_of_account);
    q->bind(":account_id", account_id);
    std::vector<core::WebsiteView> views;
    while (q->step()) {
        views.push_back({read_website(*q), read_role(q->text(6))});
    }
    return views;
}

bool update(Connection& c, const core::Website& website) {
    auto q = c.query(sql::website_update);
    q->bind(":id", website.id);
    q->bind(":domain", website.domain);
    q->bind(":name", website.name);
    q->bind(":timezone", website.timezone);
    return q->exec_unless_duplicate();
}

bool remove(Connection& c, const std::string& id) {
    auto q = c.query(sql::website_delete);
    q->bind(":id", id);
    return q->exec() > 0;
}

bool add_member(Connection& c, const std::string& account_id, const std::string& website_id,
                core::Role role, const std::string& joined_at) {
    auto q = c.query(sql::membership_insert);
    q->bind(":account_id", account_id);
    q->bind(":website_id", website_id);
    q->bind(":role", std::string(core::role_name(role)));
    q->bind(":joined_at", joined_at);
    return q->exec_unless_duplicate();
}

bool remove_member(Connection& c, const std::string& account_id, const std::string& website_id) {
    auto q = c.query(sql::membership_delete);
    q->bind(":account_id", account_id);
    q->bind(":website_id", website_id);
    return q->exec() > 0;
}

std::vector<core::Membership> memberships_of(Connection& c, const std::string& account_id) {
    auto q = c.query(sql::membership_roles_of_account);
    q->bind(":account_id", account_id);
    std::vector<core::Membership> memberships;
    while (q->step()) {
        memberships.push_back({q->text(0), read_role(q->text(1))});
    }
    return memberships;
}

std::vector<core::Membership> membership_on(Connection& c, const std::string& account_id,
                                            const std::string& website_id) {
    auto q = c.query(sql::membership_role);
    q->bind(":account_id", account_id);
    q->bind(":website_id", website_id);
    std::vector<core::Membership> memberships;
    if (q->step()) {
        memberships.push_back({website_id, read_role(q->text(0))});
    }
    return memberships;
}

std::vector<core::TeamMember> team_of(Connection& c, const std::string& website_id) {
    auto q = c.query(sql::membership_team_of_website);
    q->bind(":website_id", website_id);
    std::vector<core::TeamMember> team;
    while (q->step()) {
        team.push_back(
            {q->text(0), q->optional_text(1), q->text(2), read_role(q->text(3)), q->text(4)});
    }
    return team;
}

} // namespace tokend::store::websites
