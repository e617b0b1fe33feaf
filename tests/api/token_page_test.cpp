// Pages of GET /api/v1/admin/access-tokens (SPEC §11.11): limit and cursor, the pagination
// object after data, the Link header, stability while tokens come and go, and the untouched
// first-release reply when neither parameter is sent.
#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

#include "list_fixture.hpp"

using namespace tokend::test;

namespace {
class TokenPages : public ListApi {
protected:
    Reply page(const std::string& query, const std::string& token = "") {
        return m_server.get(kTokensPath + "?" + query, token.empty() ? m_full : token);
    }
    static std::string cursor_of(const Reply& reply) {
        const auto& cursor = reply.body["pagination"]["cursor"];
        return cursor.is_string() ? cursor.get<std::string>() : "";
    }
    // Follows cursors from `first_query` to the end; returns the ids in order.
    std::vector<std::string> walk(const std::string& first_query, const std::string& limit) {
        std::vector<std::string> ids;
        auto reply = page(first_query);
        for (int pages = 0; pages < 1000; ++pages) {
            for (const auto& id : ids_in(data_of(reply))) {
                ids.push_back(id);
            }
            if (!reply.body["pagination"]["hasMore"].get<bool>()) {
                break;
            }
            reply = page("limit=" + limit + "&cursor=" + cursor_of(reply));
        }
        return ids;
    }
    void expect_bad(const std::string& query, const std::string& field) {
        auto before = list(m_full).raw;
        auto reply = page(query);
        expect_error(reply, 400);
        EXPECT_EQ(message_of(reply).rfind(field + " ", 0), 0u)
            << query << " → " << message_of(reply);
        EXPECT_TRUE(reply.header("Link").empty());
        EXPECT_EQ(list(m_full).raw, before) << "a refused request changed the list";
    }
};
} // namespace

TEST_F(TokenPages, WithoutLimitOrCursorTheReplyHasNoPaginationAndIgnoresOtherParameters) {
    seed_tokens(3);
    auto plain = list(m_full);
    EXPECT_EQ(keys_of(plain.body), (std::set<std::string>{"status", "data"}));
    EXPECT_TRUE(plain.header("Link").empty());
    EXPECT_EQ(data_of(plain).size(), 4u);
    // Parameters the first release did not know still change nothing, byte for byte.
    EXPECT_EQ(page("foo=bar&page=2&per_page=1").raw, plain.raw);
    EXPECT_EQ(page("").raw, plain.raw);
}

TEST_F(TokenPages, AOneHundredLimitPageIsTheFirstReleaseReplyPlusPagination) {
    seed_tokens(5);
    std::string plain = list(m_full).raw;
    std::string paged = page("limit=100").raw;
    ASSERT_EQ(plain.back(), '}');
    std::string prefix = plain.substr(0, plain.size() - 1);
    ASSERT_EQ(paged.substr(0, prefix.size()), prefix) << paged;
    EXPECT_EQ(paged.substr(prefix.size()), R"(,"pagination":{"cursor":null,"hasMore":false}})");
}

TEST_F(TokenPages, PagesWalkTheWholeListNewestFirstWithoutDuplicatesOrGaps) {
    seed_tokens(24);
    auto all = ids_in(live_tokens());
    ASSERT_EQ(all.size(), 25u);
    EXPECT_EQ(walk("limit=7", "7"), all);
    EXPECT_EQ(walk("limit=1", "1"), all);
    EXPECT_EQ(walk("limit=25", "25"), all);
}

TEST_F(TokenPages, PageHoldsAtMostLimitItemsAndSaysWhetherMoreFollow) {
    seed_tokens(4); // 5 tokens in all
    auto first = page("limit=2");
    EXPECT_EQ(data_of(first).size(), 2u);
    EXPECT_EQ(first.body["pagination"]["hasMore"], true);
    EXPECT_FALSE(cursor_of(first).empty());
    auto exact = page("limit=5");
    EXPECT_EQ(data_of(exact).size(), 5u);
    EXPECT_EQ(exact.body["pagination"], (nlohmann::json{{"cursor", nullptr}, {"hasMore", false}}));
    EXPECT_TRUE(exact.header("Link").empty());
}

TEST_F(TokenPages, PaginationFollowsDataAndHoldsExactlyCursorAndHasMore) {
    seed_tokens(2);
    auto reply = page("limit=1");
    EXPECT_EQ(keys_of(reply.body), (std::set<std::string>{"status", "data", "pagination"}));
    auto status_at = reply.raw.find(R"("status":)");
    auto data_at = reply.raw.find(R"("data":)");
    auto pagination_at = reply.raw.find(R"("pagination":{"cursor":")");
    EXPECT_LT(status_at, data_at);
    EXPECT_LT(data_at, pagination_at);
    EXPECT_NE(pagination_at, std::string::npos) << reply.raw;
    EXPECT_EQ(keys_of(reply.body["pagination"]), (std::set<std::string>{"cursor", "hasMore"}));
    std::string tail = R"(","hasMore":true}})";
    EXPECT_EQ(reply.raw.substr(reply.raw.size() - tail.size()), tail);
}

TEST_F(TokenPages, LinkHeaderNamesTheNextPageAndFollowingItGivesThatPage) {
    seed_tokens(4);
    auto first = page("limit=2");
    std::string cursor = cursor_of(first);
    EXPECT_EQ(first.header("Link"),
              "</api/v1/admin/access-tokens?limit=2&cursor=" + cursor + ">; rel=\"next\"");
    std::string link = first.header("Link");
    std::string target = link.substr(1, link.find('>') - 1);
    auto followed = m_server.get(target, m_full);
    auto by_cursor = page("limit=2&cursor=" + cursor);
    EXPECT_EQ(followed.raw, by_cursor.raw);
    EXPECT_EQ(data_of(followed).size(), 2u);
}

TEST_F(TokenPages, LinkHeaderKeepsTheStateFilter) {
    seed_tokens(3);
    auto first = page("state=active&limit=1");
    EXPECT_EQ(first.header("Link"), "</api/v1/admin/access-tokens?limit=1&state=active&cursor=" +
                                        cursor_of(first) + ">; rel=\"next\"");
}

TEST_F(TokenPages, CursorAloneUsesPagesOfOneHundred) {
    seed_tokens(101); // 102 tokens
    auto first = page("limit=1");
    auto rest = page("cursor=" + cursor_of(first));
    EXPECT_EQ(data_of(rest).size(), 100u);
    EXPECT_EQ(rest.body["pagination"]["hasMore"], true);
    EXPECT_NE(rest.header("Link").find("?limit=100&cursor="), std::string::npos)
        << rest.header("Link");
    auto last = page("cursor=" + cursor_of(rest));
    EXPECT_EQ(data_of(last).size(), 1u);
    EXPECT_EQ(last.body["pagination"]["hasMore"], false);
}

TEST_F(TokenPages, LimitAloneStartsAtTheNewest) {
    auto ids = seed_tokens(3);
    auto reply = page("limit=2");
    EXPECT_EQ(ids_in(data_of(reply)), (std::vector<std::string>{ids[2], ids[1]}));
}

TEST_F(TokenPages, TokensCreatedAndRevokedBetweenPagesNeverShiftTheWalk) {
    auto seeded = seed_tokens(14);
    auto before = ids_in(live_tokens()); // 15, newest first
    std::set<std::string> revoked;
    std::vector<std::string> walked;
    auto reply = page("limit=4");
    for (int round = 0;; ++round) {
        for (const auto& id : ids_in(data_of(reply))) {
            walked.push_back(id);
        }
        if (!reply.body["pagination"]["hasMore"].get<bool>()) {
            break;
        }
        // Newer tokens arrive, one token already shown and one not yet shown go away.
        seed_tokens(2);
        data_of(revoke(m_full, walked[static_cast<std::size_t>(round)]));
        // The oldest token not shown yet, skipping m_full (the very oldest: it makes these calls).
        for (std::size_t i = before.size() - 1; i-- > 0;) {
            const std::string& id = before[i];
            if (!revoked.contains(id) &&
                std::find(walked.begin(), walked.end(), id) == walked.end()) {
                data_of(revoke(m_full, id));
                revoked.insert(id);
                break;
            }
        }
        reply = page("limit=4&cursor=" + cursor_of(reply));
    }
    // Exactly the tokens that existed at the start, in order, less those revoked before their
    // page came: none twice, none skipped, none of the newer ones.
    std::vector<std::string> expected;
    for (const auto& id : before) {
        if (!revoked.contains(id)) {
            expected.push_back(id);
        }
    }
    EXPECT_EQ(walked, expected);
    EXPECT_GE(revoked.size(), 2u) << "the walk must see tokens revoked before their page";
    EXPECT_EQ(seeded.size(), 14u);
}

TEST_F(TokenPages, WalkIsCompleteWhileAnotherClientCreatesTokensConcurrently) {
    seed_tokens(30);
    auto before = ids_in(live_tokens());
    std::atomic<bool> stop{false};
    std::thread creator([&] {
        // Its own connection: the fixture's client serves the walk on this thread.
        httplib::Client client("127.0.0.1", m_server.port());
        httplib::Headers auth{{"Authorization", "Bearer " + m_full}};
        for (int i = 0; i < 100 && !stop; ++i) {
            client.Post(kTokensPath, auth, "{}", "application/json");
        }
    });
    auto walked = walk("limit=3", "3");
    stop = true;
    creator.join();
    // Every token that existed throughout is shown once, in order. A token created during the
    // walk is newer than every cursor: it can only appear on the first page, ahead of them all.
    std::set<std::string> old(before.begin(), before.end());
    std::vector<std::string> walked_old;
    for (std::size_t i = 0; i < walked.size(); ++i) {
        if (old.contains(walked[i])) {
            walked_old.push_back(walked[i]);
        } else {
            EXPECT_TRUE(walked_old.empty()) << "a new token appeared after position " << i;
        }
    }
    EXPECT_EQ(walked_old, before);
    EXPECT_EQ(std::set<std::string>(walked.begin(), walked.end()).size(), walked.size());
}

TEST_F(TokenPages, PagesShowOnlyTheCallersAccount) {
    seed_tokens(3);
    m_server.create_account("bob@example.com");
    std::string bob = m_server.create_token("bob@example.com");
    for (int i = 0; i < 3; ++i) {
        m_server.create_token("bob@example.com");
    }
    auto bob_page = page("limit=100", bob);
    EXPECT_EQ(data_of(bob_page).size(), 4u);
    auto mine = ids_in(live_tokens());
    for (const auto& id : ids_in(data_of(bob_page))) {
        EXPECT_EQ(std::count(mine.begin(), mine.end(), id), 0);
    }
}

TEST_F(TokenPages, PagesNeedApiKeysRead) {
    seed_tokens(2);
    std::string token = m_server.create_token("alice@example.com", "analytics:read");
    expect_error(page("limit=1", token), 403);
}

TEST_F(TokenPages, LimitOutOfRangeOrNotAnIntegerIsRefusedNamingLimit) {
    seed_tokens(2);
    for (const char* value : {"0", "101", "-1", "abc", "1.5", "1e1", "%205", "+5", "",
                              "99999999999999999999", "0x10", "10%00", "1000"}) {
        expect_bad(std::string("limit=") + value, "limit");
    }
    expect_bad("limit=1&limit=2", "limit");
    expect_bad("limit", "limit");
}

TEST_F(TokenPages, MalformedOrTamperedCursorIsRefusedNamingCursor) {
    seed_tokens(3);
    std::string good = cursor_of(page("limit=1"));
    ASSERT_FALSE(good.empty());
    std::string flipped = good;
    flipped[10] = flipped[10] == 'A' ? 'B' : 'A';
    for (const std::string& value :
         {std::string(""), std::string("null"), std::string("abc"), good.substr(1), good + "A",
          flipped, std::string(2000, 'A'), std::string("%00") + good}) {
        expect_bad("limit=1&cursor=" + value, "cursor");
    }
    // Two different cursors (cpp-httplib 0.11.4 folds an exact repeat of name=value into one).
    std::string second = cursor_of(page("limit=2"));
    expect_bad("cursor=" + good + "&cursor=" + second, "cursor");
}

TEST_F(TokenPages, AnotherAccountsCursorIsRefused) {
    m_server.create_account("bob@example.com");
    std::string bob = m_server.create_token("bob@example.com");
    m_server.create_token("bob@example.com");
    seed_tokens(2);
    std::string bobs = cursor_of(page("limit=1", bob));
    ASSERT_FALSE(bobs.empty());
    expect_bad("limit=1&cursor=" + bobs, "cursor");
}

TEST_F(TokenPages, ACursorOnlyContinuesTheFilterItWasIssuedFor) {
    seed_tokens(3);
    std::string unfiltered = cursor_of(page("limit=1"));
    std::string active = cursor_of(page("state=active&limit=1"));
    expect_bad("state=active&limit=1&cursor=" + unfiltered, "cursor");
    expect_bad("limit=1&cursor=" + active, "cursor");
    expect_bad("state=expired&limit=1&cursor=" + active, "cursor");
    EXPECT_EQ(page("state=active&limit=1&cursor=" + active).status, 200);
}

TEST_F(TokenPages, ACursorFromAnotherServerIsRefused) {
    seed_tokens(2);
    TestServer other(list_config(m_clock, 1000));
    other.create_account("alice@example.com");
    std::string key = other.create_token("alice@example.com");
    other.create_token("alice@example.com");
    auto foreign = other.get(kTokensPath + "?limit=1", key);
    std::string cursor = cursor_of(foreign);
    ASSERT_FALSE(cursor.empty()) << foreign.raw;
    expect_bad("limit=1&cursor=" + cursor, "cursor");
}

TEST_F(TokenPages, ACursorKeepsWorkingAfterItsLastTokenIsRevoked) {
    auto ids = seed_tokens(4); // newest first: ids[3], ids[2], ids[1], ids[0], m_full
    auto first = page("limit=2");
    ASSERT_EQ(ids_in(data_of(first)), (std::vector<std::string>{ids[3], ids[2]}));
    data_of(revoke(m_full, ids[2]));
    auto next = page("limit=2&cursor=" + cursor_of(first));
    EXPECT_EQ(ids_in(data_of(next)), (std::vector<std::string>{ids[1], ids[0]}));
}
