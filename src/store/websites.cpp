// Websites and memberships tables.
#include "store/websites.hpp"

#include "sql_embedded.hpp"
#include "store/row.hpp"

namespace tokend::store::websites {

bool insert_with_owner(Connection& c, const core::Website& website) {
    auto q = c.query(sql::website_insert);
    q->bind(":id", website.id);
    q->bind(":owner_id", website.owner_id);
    q->bind(":domain", website.domain);
    bind_optional(*q, ":name", website.name);
    q->bind(":timezone", website.timezone);
    q->bind(":created_at", website.created_at);
    try {
        q->exec();
    } catch (const SQLite::Exception& error) {
        if (is_unique_violation(error)) {
            return false;
        }
        throw;
    }
    add_member(c, website.owner_id, website.id, core::Role::Owner, website.created_at);
    return true;
}

void add_member(Connection& c, const std::string& account_id, const std::string& website_id,
                core::Role role, const std::string& joined_at) {
    auto q = c.query(sql::membership_insert);
    q->bind(":account_id", account_id);
    q->bind(":website_id", website_id);
    q->bind(":role", std::string(core::role_name(role)));
    q->bind(":joined_at", joined_at);
    q->exec();
}

std::vector<core::Membership> memberships_of(Connection& c, const std::string& account_id) {
    auto q = c.query(sql::membership_roles_of_account);
    q->bind(":account_id", account_id);
    std::vector<core::Membership> memberships;
    while (q->executeStep()) {
        auto role = core::parse_role(q->getColumn(1).getString());
        memberships.push_back({q->getColumn(0).getString(), role.value_or(core::Role::Viewer)});
    }
    return memberships;
}

} // namespace tokend::store::websites
