// Keyset pages of the token list on real SQLite: order with equal createdAt, the state filter,
// and the query plans — each page is one range read of the list index, with no sort step.
#include <gtest/gtest.h>

#include <SQLiteCpp/Statement.h>

#include <string>
#include <vector>

#include "sql_embedded.hpp"
#include "store/accounts.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/engine.hpp"
#include "store/store.hpp"
#include "store/tokens.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

using namespace tokend;

namespace {
const std::string kAlice = "aaaaaaaaaaaaaaaaaaaaaaa1";
const std::string kBob = "aaaaaaaaaaaaaaaaaaaaaaa2";
const std::string kNow = "2026-06-01T00:00:00.000Z";

class TokenPagesStore : public ::testing::Test {
protected:
    void SetUp() override {
        // Not a structured binding: clang 14 (the sanitizer builds) cannot capture one.
        for (const auto& account :
             {std::pair{kAlice, "alice@example.com"}, std::pair{kBob, "bob@example.com"}}) {
            m_store.write([&](store::Connection& c) {
                return store::accounts::insert(c, {account.first, account.second, std::nullopt,
                                                   std::nullopt, "2026-05-21T00:00:00.000Z"});
            });
        }
    }
    void add(const std::string& id, const std::string& account, const std::string& created_at,
             std::optional<std::string> expires_at = std::nullopt) {
        core::AccessToken t;
        t.id = id;
        t.account_id = account;
        t.display_key = "dft_abc...wxyz";
        t.scope = {{core::Permission::All}, {}};
        t.created_at = created_at;
        t.expires_at = std::move(expires_at);
        crypto::Digest digest{};
        digest.fill(static_cast<std::uint8_t>(++m_seed));
        m_store.write([&](store::Connection& c) { store::tokens::insert(c, t, digest); });
    }
    std::vector<std::string> page(store::tokens::PageRequest request) {
        auto tokens = m_store.read(
            [&](store::Connection& c) { return store::tokens::page_of_account(c, request); });
        std::vector<std::string> ids;
        for (const auto& t : tokens) {
            ids.push_back(t.id);
        }
        return ids;
    }
    std::string plan(sql::Query query) {
        return m_store.read([&](store::Connection& c) {
            auto& db = static_cast<store::sqlite::Connection&>(c).db();
            SQLite::Statement q(db, "EXPLAIN QUERY PLAN " +
                                        std::string(sql::sqlite::kQueries[query.index]));
            std::string details;
            while (q.executeStep()) {
                details += q.getColumn(3).getString() + "\n";
            }
            return details;
        });
    }

    test::TempDir m_dir;
    store::Store m_store{test::test_engine(m_dir.path())};
    int m_seed = 0;
};
} // namespace

TEST_F(TokenPagesStore, PagesAreNewestFirstWithIdBreakingTiesAndStartStrictlyAfterTheKey) {
    add("ccccccccccccccccccccccc1", kAlice, "2026-05-21T00:00:01.000Z");
    add("ccccccccccccccccccccccc3", kAlice, "2026-05-21T00:00:02.000Z");
    add("ccccccccccccccccccccccc2", kAlice, "2026-05-21T00:00:02.000Z");
    add("ccccccccccccccccccccccc4", kAlice, "2026-05-21T00:00:02.000Z");
    add("ccccccccccccccccccccccc5", kBob, "2026-05-21T00:00:03.000Z");
    EXPECT_EQ(page({kAlice, std::nullopt, kNow, std::nullopt, -1}),
              (std::vector<std::string>{"ccccccccccccccccccccccc4", "ccccccccccccccccccccccc3",
                                        "ccccccccccccccccccccccc2", "ccccccccccccccccccccccc1"}));
    EXPECT_EQ(page({kAlice, std::nullopt, kNow, std::nullopt, 2}),
              (std::vector<std::string>{"ccccccccccccccccccccccc4", "ccccccccccccccccccccccc3"}));
    core::PageKey after{"2026-05-21T00:00:02.000Z", "ccccccccccccccccccccccc3"};
    EXPECT_EQ(page({kAlice, std::nullopt, kNow, after, 10}),
              (std::vector<std::string>{"ccccccccccccccccccccccc2", "ccccccccccccccccccccccc1"}));
}

TEST_F(TokenPagesStore, AKeyOfARemovedTokenStillMarksThePosition) {
    add("ccccccccccccccccccccccc1", kAlice, "2026-05-21T00:00:01.000Z");
    add("ccccccccccccccccccccccc3", kAlice, "2026-05-21T00:00:03.000Z");
    core::PageKey gone{"2026-05-21T00:00:02.000Z", "ccccccccccccccccccccccc2"};
    EXPECT_EQ(page({kAlice, std::nullopt, kNow, gone, 10}),
              (std::vector<std::string>{"ccccccccccccccccccccccc1"}));
}

TEST_F(TokenPagesStore, RevokedTokensAreNeverInAPage) {
    add("ccccccccccccccccccccccc1", kAlice, "2026-05-21T00:00:01.000Z");
    add("ccccccccccccccccccccccc2", kAlice, "2026-05-21T00:00:02.000Z");
    m_store.write([](store::Connection& c) {
        return store::tokens::revoke(c, "ccccccccccccccccccccccc2", "2026-05-22T00:00:00.000Z");
    });
    EXPECT_EQ(page({kAlice, std::nullopt, kNow, std::nullopt, -1}),
              (std::vector<std::string>{"ccccccccccccccccccccccc1"}));
}

TEST_F(TokenPagesStore, StateFilterSplitsAtExpiresAtWithTheBoundaryExpired) {
    add("ccccccccccccccccccccccc1", kAlice, "2026-05-21T00:00:01.000Z");
    add("ccccccccccccccccccccccc2", kAlice, "2026-05-21T00:00:02.000Z", kNow);
    add("ccccccccccccccccccccccc3", kAlice, "2026-05-21T00:00:03.000Z", "2026-06-01T00:00:00.001Z");
    add("ccccccccccccccccccccccc4", kAlice, "2026-05-21T00:00:04.000Z", "2026-05-31T23:59:59.999Z");
    EXPECT_EQ(page({kAlice, true, kNow, std::nullopt, -1}),
              (std::vector<std::string>{"ccccccccccccccccccccccc4", "ccccccccccccccccccccccc2"}));
    EXPECT_EQ(page({kAlice, false, kNow, std::nullopt, -1}),
              (std::vector<std::string>{"ccccccccccccccccccccccc3", "ccccccccccccccccccccccc1"}));
    core::PageKey after{"2026-05-21T00:00:04.000Z", "ccccccccccccccccccccccc4"};
    EXPECT_EQ(page({kAlice, true, kNow, after, 1}),
              (std::vector<std::string>{"ccccccccccccccccccccccc2"}));
}

TEST_F(TokenPagesStore, FirstPageIsOneIndexReadWithoutASort) {
    std::string details = plan(sql::token_page_first);
    EXPECT_NE(details.find("USING INDEX access_tokens_live_by_account (account_id=?)"),
              std::string::npos)
        << details;
    EXPECT_EQ(details.find("TEMP B-TREE"), std::string::npos) << details;
    EXPECT_EQ(details.find("SCAN"), std::string::npos) << details;
}

TEST_F(TokenPagesStore, LaterPagesAreOneIndexRangeReadWithoutASort) {
    std::string details = plan(sql::token_page_after);
    EXPECT_NE(details.find("USING INDEX access_tokens_live_by_account (account_id=? AND "
                           "(created_at,id)<(?,?))"),
              std::string::npos)
        << details;
    EXPECT_EQ(details.find("TEMP B-TREE"), std::string::npos) << details;
    EXPECT_EQ(details.find("SCAN"), std::string::npos) << details;
}

TEST_F(TokenPagesStore, FirstReleaseListQueryNeedsNoSortEither) {
    std::string details = plan(sql::token_live_by_account);
    EXPECT_NE(details.find("USING INDEX access_tokens_live_by_account"), std::string::npos)
        << details;
    EXPECT_EQ(details.find("TEMP B-TREE"), std::string::npos) << details;
}
