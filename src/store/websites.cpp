// Websites and memberships tables.
#include "store/websites.hpp"

#include "sql_embedded.hpp"
#include "store/row.hpp"

namespace tokend::store::websites {

namespace {
// The CHECK constraint allows only the three names; a reader never widens an unknown one.
core::Role read_role(const SQLite::Column& column) {
    return core::parse_role(column.getString()).value_or(core::Role::Viewer);
}

// Column order of website SELECTs: id, owner_id, domain, name, timezone, created_at.
core::Website read_website(SQLite::Statement& s) {
    core::Website website;
    website.id = s.getColumn(0).getString();
    website.owner_id = s.getColumn(1).getString();
    website.domain = s.getColumn(2).getString();
    website.name = optional_text(s.getColumn(3));
    website.timezone = s.getColumn(4).getString();
    website.created_at = s.getColumn(5).getString();
    return website;
}

} // namespace

bool insert_with_owner(Connection& c, const core::Website& website) {
    auto q = c.query(sql::website_insert);
    q->bind(":id", website.id);
    q->bind(":owner_id", website.owner_id);
    q->bind(":domain", website.domain);
    bind_optional(*q, ":name", website.name);
    q->bind(":timezone", website.timezone);
    q->bind(":created_at", website.created_at);
    if (!exec_unless_duplicate(q)) {
        return false;
    }
    add_member(c, website.owner_id, website.id, core::Role::Owner, website.created_at);
    return true;
}

std::optional<core::Website> by_id(Connection& c, const std::string& id) {
    auto q = c.query(sql::website_by_id);
    q->bind(":id", id);
    if (!q->executeStep()) {
        return std::nullopt;
    }
    return read_website(*q);
}

std::vector<core::WebsiteView> views_of(Connection& c, const std::string& account_id) {
    auto q = c.query(sql::website_views_of_account);
    q->bind(":account_id", account_id);
    std::vector<core::WebsiteView> views;
    while (q->executeStep()) {
        views.push_back({read_website(*q), read_role(q->getColumn(6))});
    }
    return views;
}

bool update(Connection& c, const core::Website& website) {
    auto q = c.query(sql::website_update);
    q->bind(":id", website.id);
    q->bind(":domain", website.domain);
    bind_optional(*q, ":name", website.name);
    q->bind(":timezone", website.timezone);
    return exec_unless_duplicate(q);
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
    return exec_unless_duplicate(q);
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
    while (q->executeStep()) {
        memberships.push_back({q->getColumn(0).getString(), read_role(q->getColumn(1))});
    }
    return memberships;
}

std::vector<core::Membership> membership_on(Connection& c, const std::string& account_id,
                                            const std::string& website_id) {
    auto q = c.query(sql::membership_role);
    q->bind(":account_id", account_id);
    q->bind(":website_id", website_id);
    std::vector<core::Membership> memberships;
    if (q->executeStep()) {
        memberships.push_back({website_id, read_role(q->getColumn(0))});
    }
    return memberships;
}

std::vector<core::TeamMember> team_of(Connection& c, const std::string& website_id) {
    auto q = c.query(sql::membership_team_of_website);
    q->bind(":website_id", website_id);
    std::vector<core::TeamMember> team;
    while (q->executeStep()) {
        team.push_back({q->getColumn(0).getString(), optional_text(q->getColumn(1)),
                        q->getColumn(2).getString(), read_role(q->getColumn(3)),
                        q->getColumn(4).getString()});
    }
    return team;
}

} // namespace tokend::store::websites
