// Property-style check of SPEC §5–§6: random accounts, websites, memberships and token scopes
// (fixed seeds, bounded steps), then random list/read/write/team/token calls over HTTP, each
// compared with a small model. No answer may grant or reveal more than the model allows.
#include <map>
#include <random>
#include <set>

#include "core/access.hpp"
#include "website_fixture.hpp"

using namespace tokend::test;
using nlohmann::json;
using tokend::AppConfig;

namespace {

const std::vector<std::string> kPermissionPool = {
    "websites:read", "websites:write", "settings:read", "settings:write",
    "team:read",     "team:write",     "api-keys:read", "api-keys:write"};

struct ModelToken {
    std::size_t account;
    std::string key;
    std::string id;
    std::vector<std::string> permissions;
    std::vector<std::string> websites;
    bool revoked = false;
};

bool has(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

// SPEC §5 "does not exceed", from the text.
bool model_does_not_exceed(const ModelToken& a, const ModelToken& b) {
    for (const auto& p : a.permissions) {
        if (!has(b.permissions, "*") && !has(b.permissions, p)) {
            return false;
        }
    }
    if (b.websites.empty()) {
        return true;
    }
    if (a.websites.empty()) {
        return false;
    }
    return std::all_of(a.websites.begin(), a.websites.end(),
                       [&](const std::string& w) { return has(b.websites, w); });
}

class ScopeWorld {
public:
    explicit ScopeWorld(unsigned seed) : m_random(seed), m_server(config()) {
        for (std::size_t i = 0; i < 4; ++i) {
            m_emails.push_back("user" + std::to_string(i) + "@example.com");
            m_accounts.push_back(m_server.create_account(m_emails.back()));
        }
        for (std::size_t i = 0; i < m_accounts.size(); ++i) {
            for (std::size_t n = 0, count = 1 + pick(2); n < count; ++n) {
                std::string domain = "s" + std::to_string(m_websites.size()) + ".example.com";
                m_websites.push_back(m_server.create_website(m_emails[i], domain));
                m_roles[{i, m_websites.back()}] = "owner";
            }
        }
        for (std::size_t i = 0; i < m_accounts.size(); ++i) {
            for (const auto& w : m_websites) {
                if (!role(i, w) && chance(50)) {
                    seed_member(i, w, chance(50) ? "viewer" : "member");
                }
            }
        }
        for (std::size_t i = 0; i < m_accounts.size(); ++i) {
            for (int n = 0; n < 3; ++n) {
                seed_token(i);
            }
        }
        // A deleted website: memberships go, token lists keep the dangling id.
        std::string doomed = m_websites[pick(m_websites.size())];
        m_server.app().websites().delete_any(doomed);
        m_deleted.push_back(doomed);
        m_websites.erase(std::find(m_websites.begin(), m_websites.end(), doomed));
        std::erase_if(m_roles, [&](const auto& entry) { return entry.first.second == doomed; });
    }

    void step() {
        ModelToken& t = m_tokens[pick(m_tokens.size())];
        std::string w = chance(60) ? website_of(t.account) : any_website();
        switch (pick(8)) {
        case 0:
            return check_list(t);
        case 1:
            return check_get(t, w);
        case 2:
            return check_put(t, w);
        case 3:
            return check_team_list(t, w);
        case 4:
            return check_team_add(t, w);
        case 5:
            return check_team_remove(t, w);
        case 6:
            return check_token_create(t, w);
        default:
            return check_token_delete(t);
        }
    }

private:
    static AppConfig config() {
        AppConfig config;
        config.max_tokens_per_account = 100'000;
        return config;
    }

    std::size_t pick(std::size_t n) {
        return std::uniform_int_distribution<std::size_t>(0, n - 1)(m_random);
    }
    bool chance(int percent) { return static_cast<int>(pick(100)) < percent; }

    std::optional<std::string> role(std::size_t account, const std::string& website) const {
        auto it = m_roles.find({account, website});
        return it == m_roles.end() ? std::nullopt : std::optional<std::string>(it->second);
    }

    void seed_member(std::size_t account, const std::string& website, const std::string& role) {
        m_server.app().websites().add_member_any(website, m_accounts[account],
                                                 tokend::core::parse_role(role).value());
        m_roles[{account, website}] = role;
    }

    std::vector<std::string> random_permissions() {
        if (chance(30)) {
            return {"*"};
        }
        std::vector<std::string> chosen;
        for (std::size_t n = 2 + pick(5); chosen.size() < n;) {
            const auto& p = kPermissionPool[pick(kPermissionPool.size())];
            if (!has(chosen, p)) {
                chosen.push_back(p);
            }
        }
        return chosen;
    }

    void seed_token(std::size_t account) {
        ModelToken t{account, "", "", random_permissions(), {}};
        std::vector<std::string> mine;
        for (const auto& w : m_websites) {
            if (role(account, w)) {
                mine.push_back(w);
            }
        }
        if (!mine.empty() && chance(60)) {
            t.websites.push_back(mine[pick(mine.size())]);
            const auto& second = mine[pick(mine.size())];
            if (!has(t.websites, second)) {
                t.websites.push_back(second);
            }
        }
        tokend::service::TokenRequest request;
        tokend::core::Permissions permissions;
        for (const auto& p : t.permissions) {
            permissions.push_back(tokend::core::parse_permission(p).value());
        }
        request.permissions = permissions;
        request.website_ids = t.websites;
        auto created =
            m_server.app().tokens().create(tokend::core::full_access(m_accounts[account]), request);
        t.key = created.key;
        t.id = created.token.id;
        m_tokens.push_back(t);
    }

    // A website the account is on (any role), when it has one; otherwise any website.
    std::string website_of(std::size_t account) {
        std::vector<std::string> mine;
        for (const auto& w : m_websites) {
            if (role(account, w)) {
                mine.push_back(w);
            }
        }
        return mine.empty() ? any_website() : mine[pick(mine.size())];
    }

    // Half the time a subset of what the caller holds (likely grantable), else anything.
    std::vector<std::string> requested_permissions(const ModelToken& t) {
        if (chance(50) || has(t.permissions, "*")) {
            return random_permissions();
        }
        std::vector<std::string> subset;
        for (const auto& p : t.permissions) {
            if (subset.empty() || chance(50)) {
                subset.push_back(p);
            }
        }
        return subset;
    }

    // A live website, a deleted one, or an id nobody ever had.
    std::string any_website() {
        std::size_t n = pick(10);
        if (n == 0) {
            return m_deleted[pick(m_deleted.size())];
        }
        if (n == 1) {
            return kMissingWebsite;
        }
        return m_websites[pick(m_websites.size())];
    }

    ModelToken& token_of(std::size_t account) {
        std::vector<ModelToken*> theirs;
        for (auto& token : m_tokens) {
            if (token.account == account) {
                theirs.push_back(&token);
            }
        }
        return *theirs[pick(theirs.size())];
    }

    bool holds(const ModelToken& t, const std::string& p) const {
        return has(t.permissions, "*") || has(t.permissions, p);
    }
    bool reaches(const ModelToken& t, const std::string& w) const {
        return role(t.account, w) && (t.websites.empty() || has(t.websites, w));
    }
    bool role_allows(const ModelToken& t, const std::string& w, const std::string& p,
                     bool owner_only) const {
        std::string r = *role(t.account, w);
        if (owner_only) {
            return r == "owner";
        }
        return p.ends_with(":read") || r != "viewer";
    }
    // The status SPEC §5 dictates before any endpoint-specific rule (0 = allowed).
    int gate(const ModelToken& t, const std::string& w, const std::string& p,
             bool owner_only = false) const {
        if (t.revoked) {
            return 401;
        }
        if (!holds(t, p) || !reaches(t, w) || !role_allows(t, w, p, owner_only)) {
            return 403;
        }
        return 0;
    }

    // The 403 for an unreachable website must read exactly like the one for a missing id.
    void expect_same_as_missing(const ModelToken& t, const std::string& w, const Reply& reply,
                                const std::string& path_suffix) {
        if (t.revoked || !holds(t, path_suffix.empty() ? "settings:read" : "team:read") ||
            reaches(t, w) || w == kMissingWebsite) {
            return;
        }
        auto missing = m_server.get(kWebsitesPath + "/" + kMissingWebsite + path_suffix, t.key);
        std::string masked = message_of(reply);
        auto at = masked.find(w);
        ASSERT_NE(at, std::string::npos) << reply.raw;
        masked.replace(at, w.size(), kMissingWebsite);
        EXPECT_EQ(reply.status, missing.status);
        EXPECT_EQ(masked, message_of(missing));
    }

    void check_list(const ModelToken& t) {
        auto reply = m_server.get(kWebsitesPath, t.key);
        if (t.revoked || !holds(t, "websites:read")) {
            EXPECT_EQ(reply.status, t.revoked ? 401 : 403) << reply.raw;
            return;
        }
        std::map<std::string, std::string> expected;
        for (const auto& w : m_websites) {
            if (reaches(t, w)) {
                expected[w] = *role(t.account, w);
            }
        }
        std::map<std::string, std::string> seen;
        for (const auto& website : data_of(reply)) {
            seen[website["_id"]] = website["role"];
        }
        EXPECT_EQ(seen, expected);
    }

    void check_get(const ModelToken& t, const std::string& w) {
        auto reply = m_server.get(kWebsitesPath + "/" + w, t.key);
        int expected = gate(t, w, "settings:read");
        EXPECT_EQ(reply.status, expected == 0 ? 200 : expected) << reply.raw;
        if (reply.status == 200) {
            EXPECT_EQ(data_of(reply)[0]["role"], *role(t.account, w));
        }
        expect_same_as_missing(t, w, reply, "");
    }

    void check_put(const ModelToken& t, const std::string& w) {
        auto reply = m_server.put(kWebsitesPath + "/" + w, t.key,
                                  json{{"name", "n" + std::to_string(pick(1000))}}.dump());
        int expected = gate(t, w, "settings:write");
        EXPECT_EQ(reply.status, expected == 0 ? 200 : expected) << reply.raw;
    }

    void check_team_list(const ModelToken& t, const std::string& w) {
        auto reply = m_server.get(kWebsitesPath + "/" + w + "/team", t.key);
        int expected = gate(t, w, "team:read");
        EXPECT_EQ(reply.status, expected == 0 ? 200 : expected) << reply.raw;
        if (reply.status == 200) {
            std::set<std::string> seen, members;
            for (const auto& member : data_of(reply)) {
                seen.insert(member["userId"]);
            }
            for (std::size_t i = 0; i < m_accounts.size(); ++i) {
                if (role(i, w)) {
                    members.insert(m_accounts[i]);
                }
            }
            EXPECT_EQ(seen, members);
        }
        expect_same_as_missing(t, w, reply, "/team");
    }

    void check_team_add(const ModelToken& t, const std::string& w) {
        std::size_t j = pick(m_accounts.size());
        std::string new_role = chance(50) ? "viewer" : "member";
        auto reply = m_server.post(kWebsitesPath + "/" + w + "/team", t.key,
                                   json{{"email", m_emails[j]}, {"role", new_role}}.dump());
        int expected = gate(t, w, "team:write", true);
        if (expected == 0) {
            expected = j == t.account ? 400 : role(j, w) ? 409 : 200;
        }
        EXPECT_EQ(reply.status, expected) << reply.raw;
        if (reply.status == 200) {
            m_roles[{j, w}] = new_role;
        }
    }

    void check_team_remove(const ModelToken& t, const std::string& w) {
        std::size_t j = pick(m_accounts.size());
        auto reply = m_server.del(kWebsitesPath + "/" + w + "/team", t.key,
                                  json{{"userId", m_accounts[j]}}.dump());
        int expected = gate(t, w, "team:write", true);
        if (expected == 0) {
            expected = j == t.account ? 400 : role(j, w) ? 200 : 404;
        }
        EXPECT_EQ(reply.status, expected) << reply.raw;
        if (reply.status == 200) {
            m_roles.erase({j, w});
        }
    }

    void check_token_create(const ModelToken& t, const std::string& w) {
        ModelToken wanted{t.account, "", "", requested_permissions(t), {w}};
        auto reply = m_server.post(
            kTokensPath, t.key,
            json{{"permissions", wanted.permissions}, {"websiteIds", wanted.websites}}.dump());
        bool grantable = std::all_of(wanted.permissions.begin(), wanted.permissions.end(),
                                     [&](const std::string& p) { return holds(t, p); });
        int expected = t.revoked                                                     ? 401
                       : !holds(t, "api-keys:write") || !grantable || !reaches(t, w) ? 403
                                                                                     : 200;
        EXPECT_EQ(reply.status, expected) << reply.raw;
        if (reply.status != 200) {
            return;
        }
        auto created = data_of(reply)[0];
        EXPECT_EQ(created["websiteIds"], json(wanted.websites));
        wanted.key = created["key"];
        wanted.id = created["_id"];
        wanted.permissions = created["permissions"].get<std::vector<std::string>>();
        EXPECT_TRUE(model_does_not_exceed(wanted, t));
        m_tokens.push_back(wanted);
    }

    void check_token_delete(ModelToken& t) {
        ModelToken& u = chance(70) ? token_of(t.account) : m_tokens[pick(m_tokens.size())];
        auto reply = m_server.del(kTokensPath + "/" + u.id, t.key);
        int expected = t.revoked                             ? 401
                       : !holds(t, "api-keys:write")         ? 403
                       : u.revoked || u.account != t.account ? 404
                       : !model_does_not_exceed(u, t)        ? 403
                                                             : 200;
        EXPECT_EQ(reply.status, expected) << reply.raw;
        if (reply.status == 200) {
            u.revoked = true;
        }
    }

    std::mt19937 m_random;
    TestServer m_server;
    std::vector<std::string> m_emails;
    std::vector<std::string> m_accounts;
    std::vector<std::string> m_websites;
    std::vector<std::string> m_deleted;
    std::map<std::pair<std::size_t, std::string>, std::string> m_roles;
    std::vector<ModelToken> m_tokens;
};

void run_world(unsigned seed, int steps) {
    ScopeWorld world(seed);
    for (int i = 0; i < steps; ++i) {
        SCOPED_TRACE("seed " + std::to_string(seed) + ", step " + std::to_string(i));
        world.step();
        if (::testing::Test::HasFailure()) {
            return; // the first divergence is the useful one
        }
    }
}

} // namespace

TEST(ScopeProperty, NoAnswerExceedsTheModelSeed1) {
    run_world(1, 300);
}

TEST(ScopeProperty, NoAnswerExceedsTheModelSeed2) {
    run_world(2, 300);
}

TEST(ScopeProperty, NoAnswerExceedsTheModelSeed3) {
    run_world(3, 300);
}

TEST(ScopeProperty, NoAnswerExceedsTheModelSeed4) {
    run_world(4, 300);
}
