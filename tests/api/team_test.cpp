// /api/v1/admin/websites/{id}/team (SPEC §6): who sees the team, the owner's adds and removals,
// and a removed member's tokens losing the website on the very next request.
#include "website_fixture.hpp"

using namespace tokend::test;
using nlohmann::json;

namespace {
std::vector<std::string> user_ids(const json& team) {
    std::vector<std::string> ids;
    for (const auto& member : team) {
        ids.push_back(member["userId"]);
    }
    return ids;
}
} // namespace

TEST_F(WebsiteApi, TeamListsEveryMemberInJoinOrderWithTheirRole) {
    auto team = data_of(m_server.get(team_path(m_site), m_alice));
    ASSERT_EQ(team.size(), 3u);
    EXPECT_EQ(user_ids(team), (std::vector<std::string>{m_alice_id, m_bob_id, m_carol_id}));
    EXPECT_EQ(keys_of(team[0]), kTeamMemberKeys);
    EXPECT_EQ(team[0]["email"], "alice@example.com");
    EXPECT_EQ(team[0]["name"], nullptr);
    EXPECT_EQ(team[0]["role"], "owner");
    EXPECT_EQ(team[1]["role"], "member");
    EXPECT_EQ(team[2]["role"], "viewer");
    EXPECT_TRUE(is_timestamp(team[2]["joinedAt"]));
}

TEST_F(WebsiteApi, TeamIsReadableByAViewer) {
    EXPECT_EQ(data_of(m_server.get(team_path(m_site), m_carol)).size(), 3u);
}

TEST_F(WebsiteApi, TeamListNeedsTeamRead) {
    std::string token = m_server.create_token("alice@example.com", "settings:read");
    expect_error(m_server.get(team_path(m_site), token), 403);
}

TEST_F(WebsiteApi, TeamOfAnUnreachableWebsiteIs403) {
    expect_error(m_server.get(team_path(m_site), m_dave), 403);
    expect_error(m_server.get(team_path(kMissingWebsite), m_alice), 403);
}

TEST_F(WebsiteApi, TeamWithAMalformedWebsiteIdIs400) {
    expect_error(m_server.get(team_path("abc"), m_alice), 400);
}

TEST_F(WebsiteApi, AddMemberDefaultsToViewer) {
    auto added =
        data_of(m_server.post(team_path(m_site), m_alice, body({{"email", "Dave@Example.com"}})));
    ASSERT_EQ(added.size(), 1u);
    EXPECT_EQ(keys_of(added[0]), kTeamMemberKeys);
    EXPECT_EQ(added[0]["userId"], m_dave_id);
    EXPECT_EQ(added[0]["email"], "dave@example.com");
    EXPECT_EQ(added[0]["role"], "viewer");
}

TEST_F(WebsiteApi, AddMemberWithMemberRole) {
    auto added = data_of(m_server.post(team_path(m_site), m_alice,
                                       body({{"email", "dave@example.com"}, {"role", "member"}})));
    ASSERT_EQ(added.size(), 1u);
    EXPECT_EQ(added[0]["role"], "member");
}

TEST_F(WebsiteApi, AddedMemberReachesTheWebsiteAtOnce) {
    m_server.post(team_path(m_site), m_alice, body({{"email", "dave@example.com"}}));
    EXPECT_EQ(listed_ids(m_dave), std::vector<std::string>{m_site});
    EXPECT_EQ(data_of(m_server.get(site_path(m_site), m_dave))[0]["role"], "viewer");
}

TEST_F(WebsiteApi, AddMemberAsOwnerIs400) {
    auto reply = m_server.post(team_path(m_site), m_alice,
                               body({{"email", "dave@example.com"}, {"role", "owner"}}));
    expect_error(reply, 400);
    EXPECT_NE(message_of(reply).find("role"), std::string::npos) << reply.raw;
    EXPECT_TRUE(listed_ids(m_dave).empty());
}

TEST_F(WebsiteApi, AddMemberWithAnUnknownRoleIs400) {
    expect_error(m_server.post(team_path(m_site), m_alice,
                               body({{"email", "dave@example.com"}, {"role", "admin"}})),
                 400);
}

TEST_F(WebsiteApi, AddMemberWithoutEmailIs400) {
    auto reply = m_server.post(team_path(m_site), m_alice, body({{"role", "viewer"}}));
    expect_error(reply, 400);
    EXPECT_NE(message_of(reply).find("email"), std::string::npos) << reply.raw;
}

TEST_F(WebsiteApi, AddMemberWithAMalformedEmailIs400) {
    expect_error(m_server.post(team_path(m_site), m_alice, body({{"email", "not-an-email"}})), 400);
}

TEST_F(WebsiteApi, AddMemberRejectsUnknownFields) {
    expect_error(m_server.post(team_path(m_site), m_alice,
                               body({{"email", "dave@example.com"}, {"userId", m_dave_id}})),
                 400);
}

TEST_F(WebsiteApi, AddMemberWithAnUnknownEmailIs404) {
    expect_error(m_server.post(team_path(m_site), m_alice, body({{"email", "eve@example.com"}})),
                 404);
}

TEST_F(WebsiteApi, AddAnExistingMemberIs409) {
    expect_error(m_server.post(team_path(m_site), m_alice, body({{"email", "carol@example.com"}})),
                 409);
}

TEST_F(WebsiteApi, AddYourselfIs400) {
    expect_error(m_server.post(team_path(m_site), m_alice, body({{"email", "alice@example.com"}})),
                 400);
}

TEST_F(WebsiteApi, AddMemberByAMembersStarTokenIs403) {
    expect_error(m_server.post(team_path(m_site), m_bob, body({{"email", "dave@example.com"}})),
                 403);
    EXPECT_TRUE(listed_ids(m_dave).empty());
}

TEST_F(WebsiteApi, AddMemberByAViewerIs403) {
    expect_error(m_server.post(team_path(m_site), m_carol, body({{"email", "dave@example.com"}})),
                 403);
}

TEST_F(WebsiteApi, AddMemberNeedsTeamWrite) {
    std::string token = m_server.create_token("alice@example.com", "team:read,settings:write");
    expect_error(m_server.post(team_path(m_site), token, body({{"email", "dave@example.com"}})),
                 403);
}

TEST_F(WebsiteApi, AddMemberToAnUnreachableWebsiteIs403) {
    expect_error(m_server.post(team_path(m_site), m_dave, body({{"email", "bob@example.com"}})),
                 403);
    expect_error(
        m_server.post(team_path(kMissingWebsite), m_alice, body({{"email", "dave@example.com"}})),
        403);
}

TEST_F(WebsiteApi, AddMemberOutsideTheTokensListIs403) {
    std::string other = m_server.create_website("alice@example.com", "other.com");
    std::string restricted = m_server.create_token("alice@example.com", "", other);
    expect_error(
        m_server.post(team_path(m_site), restricted, body({{"email", "dave@example.com"}})), 403);
}

TEST_F(WebsiteApi, RemoveMemberTakesThemOffTheTeam) {
    auto reply = m_server.del(team_path(m_site), m_alice, body({{"userId", m_bob_id}}));
    auto data = data_of(reply);
    ASSERT_EQ(data.size(), 1u);
    EXPECT_EQ(data[0]["message"], "Team member removed successfully");
    EXPECT_EQ(user_ids(data_of(m_server.get(team_path(m_site), m_alice))),
              (std::vector<std::string>{m_alice_id, m_carol_id}));
}

TEST_F(WebsiteApi, RemovedMemberLosesTheWebsiteOnTheNextRequest) {
    EXPECT_EQ(listed_ids(m_bob), std::vector<std::string>{m_site});
    m_server.del(team_path(m_site), m_alice, body({{"userId", m_bob_id}}));
    EXPECT_TRUE(listed_ids(m_bob).empty());
    expect_error(m_server.get(site_path(m_site), m_bob), 403);
    expect_error(m_server.put(site_path(m_site), m_bob, body({{"name", "x"}})), 403);
    expect_error(m_server.get(team_path(m_site), m_bob), 403);
}

TEST_F(WebsiteApi, RemovedMembersRestrictedTokenLosesTheWebsiteToo) {
    std::string restricted = m_server.create_token("bob@example.com", "", m_site);
    m_server.del(team_path(m_site), m_alice, body({{"userId", m_bob_id}}));
    EXPECT_TRUE(listed_ids(restricted).empty());
    expect_error(m_server.get(site_path(m_site), restricted), 403);
}

TEST_F(WebsiteApi, RemovedMemberCannotPutTheWebsiteInANewToken) {
    m_server.del(team_path(m_site), m_alice, body({{"userId", m_bob_id}}));
    expect_error(m_server.post(kTokensPath, m_bob, body({{"websiteIds", {m_site}}})), 403);
}

TEST_F(WebsiteApi, RemoveYourselfIs400) {
    expect_error(m_server.del(team_path(m_site), m_alice, body({{"userId", m_alice_id}})), 400);
    EXPECT_EQ(listed_ids(m_alice), std::vector<std::string>{m_site});
}

TEST_F(WebsiteApi, RemoveANonMemberIs404) {
    expect_error(m_server.del(team_path(m_site), m_alice, body({{"userId", m_dave_id}})), 404);
    expect_error(m_server.del(team_path(m_site), m_alice, body({{"userId", kMissingWebsite}})),
                 404);
}

TEST_F(WebsiteApi, RemoveByAMembersStarTokenIs403) {
    expect_error(m_server.del(team_path(m_site), m_bob, body({{"userId", m_carol_id}})), 403);
    EXPECT_EQ(listed_ids(m_carol), std::vector<std::string>{m_site});
}

TEST_F(WebsiteApi, MemberCannotRemoveTheOwner) {
    expect_error(m_server.del(team_path(m_site), m_bob, body({{"userId", m_alice_id}})), 403);
    EXPECT_EQ(listed_ids(m_alice), std::vector<std::string>{m_site});
}

TEST_F(WebsiteApi, RemoveNeedsTeamWrite) {
    std::string token = m_server.create_token("alice@example.com", "team:read");
    expect_error(m_server.del(team_path(m_site), token, body({{"userId", m_bob_id}})), 403);
}

TEST_F(WebsiteApi, RemoveWithoutUserIdIs400) {
    auto reply = m_server.del(team_path(m_site), m_alice, "{}");
    expect_error(reply, 400);
    EXPECT_NE(message_of(reply).find("userId"), std::string::npos) << reply.raw;
}

TEST_F(WebsiteApi, RemoveWithAMalformedUserIdIs400) {
    auto reply = m_server.del(team_path(m_site), m_alice, body({{"userId", "bob"}}));
    expect_error(reply, 400);
    EXPECT_NE(message_of(reply).find("userId"), std::string::npos) << reply.raw;
}

TEST_F(WebsiteApi, RemoveFromAnUnreachableWebsiteIs403) {
    expect_error(m_server.del(team_path(kMissingWebsite), m_alice, body({{"userId", m_bob_id}})),
                 403);
}
