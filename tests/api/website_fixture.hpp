// Shared set-up for the website and team API tests: alice owns alice.com, bob is a member and
// carol a viewer on it, and dave is on no website; each holds a `*` token for all websites.
#pragma once

#include <string>

#include "core/types.hpp"
#include "token_fixture.hpp"

namespace tokend::test {

inline const std::string kWebsitesPath = "/api/v1/admin/websites";
inline const std::set<std::string> kWebsiteKeys = {"_id",      "domain", "name",
                                                   "timezone", "role",   "createdAt"};
inline const std::set<std::string> kTeamMemberKeys = {"userId", "name", "email", "role",
                                                      "joinedAt"};
// A well-formed id that no website has.
inline const std::string kMissingWebsite = "0123456789abcdef01234567";

class WebsiteApi : public ::testing::Test {
protected:
    WebsiteApi() {
        m_alice_id = m_server.create_account("alice@example.com");
        m_bob_id = m_server.create_account("bob@example.com");
        m_carol_id = m_server.create_account("carol@example.com");
        m_dave_id = m_server.create_account("dave@example.com");
        m_site = m_server.create_website("alice@example.com", "alice.com");
        join(m_site, m_bob_id, core::Role::Member);
        join(m_site, m_carol_id, core::Role::Viewer);
        m_alice = m_server.create_token("alice@example.com");
        m_bob = m_server.create_token("bob@example.com");
        m_carol = m_server.create_token("carol@example.com");
        m_dave = m_server.create_token("dave@example.com");
    }

    void join(const std::string& website, const std::string& account, core::Role role) {
        m_server.app().websites().add_member_any(website, account, role);
    }
    static std::string site_path(const std::string& id) { return kWebsitesPath + "/" + id; }
    static std::string team_path(const std::string& id) { return site_path(id) + "/team"; }
    static std::string body(const nlohmann::json& value) { return value.dump(); }

    // The ids in a GET /websites answer, in order.
    std::vector<std::string> listed_ids(const std::string& token) {
        std::vector<std::string> ids;
        for (const auto& website : data_of(m_server.get(kWebsitesPath, token))) {
            ids.push_back(website["_id"]);
        }
        return ids;
    }

    TestServer m_server;
    std::string m_alice_id, m_bob_id, m_carol_id, m_dave_id;
    std::string m_site; // alice.com: alice owner, bob member, carol viewer
    std::string m_alice, m_bob, m_carol, m_dave;
};

} // namespace tokend::test
