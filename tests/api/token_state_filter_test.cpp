// GET /api/v1/admin/access-tokens?state=active|expired (SPEC §11.2): expired means expiresAt has
// passed by the server's clock (moved by the test, never slept), revoked tokens are never
// listed, and the filter combines with pages.
#include <set>

#include "list_fixture.hpp"

using namespace tokend::test;
using namespace std::chrono_literals;

namespace {
class StateFilter : public ListApi {
protected:
    Reply filtered(const std::string& query) {
        return m_server.get(kTokensPath + "?" + query, m_full);
    }
    std::vector<std::string> ids(const std::string& query) {
        return ids_in(data_of(filtered(query)));
    }
};
} // namespace

TEST_F(StateFilter, ActiveAndExpiredSplitTheListByTheServersClock) {
    auto seeded = seed_tokens(3); // newest first: seeded[2], seeded[1], seeded[0], m_full
    set_expiry(seeded[0], 1h);
    set_expiry(seeded[2], 2h);
    std::string full_id = id_of(m_full);
    EXPECT_EQ(ids("state=active"),
              (std::vector<std::string>{seeded[2], seeded[1], seeded[0], full_id}));
    EXPECT_TRUE(ids("state=expired").empty());

    m_clock.advance(90min); // seeded[0] expired, seeded[2] not yet
    EXPECT_EQ(ids("state=active"), (std::vector<std::string>{seeded[2], seeded[1], full_id}));
    EXPECT_EQ(ids("state=expired"), (std::vector<std::string>{seeded[0]}));

    m_clock.advance(1h);
    EXPECT_EQ(ids("state=expired"), (std::vector<std::string>{seeded[2], seeded[0]}));
    EXPECT_EQ(ids("state=active"), (std::vector<std::string>{seeded[1], full_id}));
}

TEST_F(StateFilter, EachItemsStateMatchesTheFilter) {
    auto seeded = seed_tokens(2);
    set_expiry(seeded[1], 1min);
    m_clock.advance(2min);
    for (const auto& t : data_of(filtered("state=expired"))) {
        EXPECT_EQ(t["state"], "expired");
    }
    for (const auto& t : data_of(filtered("state=active"))) {
        EXPECT_EQ(t["state"], "active");
    }
}

TEST_F(StateFilter, WithoutPagesTheReplyIsThePlainEnvelope) {
    seed_tokens(2);
    auto reply = filtered("state=active");
    EXPECT_EQ(keys_of(reply.body), (std::set<std::string>{"status", "data"}));
    EXPECT_TRUE(reply.header("Link").empty());
    EXPECT_EQ(data_of(reply).size(), 3u);
}

TEST_F(StateFilter, UnfilteredListShowsBothStates) {
    auto seeded = seed_tokens(2);
    set_expiry(seeded[0], 1min);
    m_clock.advance(1min); // the boundary itself counts as expired
    auto all = live_tokens();
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(ids("state=expired"), (std::vector<std::string>{seeded[0]}));
    EXPECT_EQ(ids("state=active").size() + ids("state=expired").size(), all.size());
}

TEST_F(StateFilter, RevokedTokensAreInNeitherState) {
    auto seeded = seed_tokens(2);
    set_expiry(seeded[0], 1min);
    set_expiry(seeded[1], 1h);
    m_clock.advance(2min);
    data_of(revoke(m_full, seeded[0])); // expired, then revoked
    data_of(revoke(m_full, seeded[1])); // active, then revoked
    for (const char* query :
         {"state=active", "state=expired", "state=active&limit=100", "state=expired&limit=100"}) {
        for (const auto& id : ids(query)) {
            EXPECT_NE(id, seeded[0]) << query;
            EXPECT_NE(id, seeded[1]) << query;
        }
    }
}

TEST_F(StateFilter, FilterCombinesWithPages) {
    auto seeded = seed_tokens(6);
    for (std::size_t i = 0; i < seeded.size(); i += 2) {
        set_expiry(seeded[i], 1min); // seeded[0], [2], [4]
    }
    m_clock.advance(1h);
    std::vector<std::string> walked;
    auto reply = filtered("state=expired&limit=2");
    for (;;) {
        for (const auto& id : ids_in(data_of(reply))) {
            walked.push_back(id);
        }
        if (!reply.body["pagination"]["hasMore"].get<bool>()) {
            break;
        }
        EXPECT_NE(reply.header("Link").find("state=expired"), std::string::npos);
        reply = filtered("state=expired&limit=2&cursor=" +
                         reply.body["pagination"]["cursor"].get<std::string>());
    }
    EXPECT_EQ(walked, (std::vector<std::string>{seeded[4], seeded[2], seeded[0]}));
}

TEST_F(StateFilter, BadStateIsRefusedNamingStateAndChangesNothing) {
    seed_tokens(2);
    std::string before = list(m_full).raw;
    for (const char* query :
         {"state=", "state=ACTIVE", "state=revoked", "state=all", "state=active&state=expired",
          "state", "state=active%00", "state=expired&limit=1&state=active"}) {
        auto reply = filtered(query);
        expect_error(reply, 400);
        EXPECT_EQ(message_of(reply).rfind("state ", 0), 0u) << query << ": " << message_of(reply);
    }
    EXPECT_EQ(list(m_full).raw, before);
}
