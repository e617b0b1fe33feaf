// The two-key lookup of SPEC §11.3 on a real SQLite database: one indexed statement finds a
// token by its current or its rotated-away key and says which matched; rotation, the
// lifecycle columns and the purge of long-expired tokens.
#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <string>

#include "sql_embedded.hpp"
#include "store/accounts.hpp"
#include "store/sqlite/engine.hpp"
#include "store/store.hpp"
#include "store/tokens.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

using namespace tokend;

namespace {
const std::string kAlice = "aaaaaaaaaaaaaaaaaaaaaaa1";
const std::string kToken = "ccccccccccccccccccccccc1";

crypto::Digest digest(std::uint8_t seed) {
    crypto::Digest d{};
    d.fill(seed);
    return d;
}

class TokenKeys : public ::testing::Test {
protected:
    TokenKeys() {
        m_store.write([](store::Connection& c) {
            store::accounts::insert(c, core::Account{kAlice, "alice@example.com", std::nullopt,
                                                     std::nullopt, "2026-05-21T00:00:00.000Z"});
        });
        core::AccessToken t;
        t.id = kToken;
        t.account_id = kAlice;
        t.display_key = "dft_abc...wxyz";
        t.scope = {{core::Permission::All}, {}};
        t.created_at = "2026-05-21T00:00:00.000Z";
        t.expires_at = "2027-01-01T00:00:00.000Z";
        t.allowed_ips = {"10.0.0.0/8", "2001:db8::/32"};
        t.rate_limit = core::RateLimit{100, 60};
        m_store.write([&](store::Connection& c) { store::tokens::insert(c, t, digest(1)); });
    }

    std::optional<store::tokens::KeyMatch> find(std::uint8_t seed) {
        return m_store.read(
            [seed](store::Connection& c) { return store::tokens::by_key_hash(c, digest(seed)); });
    }

    // Moves the current key (seed 1) to previous and installs `next` as the current key.
    void rotate(std::uint8_t next, std::optional<std::uint8_t> previous) {
        core::AccessToken t;
        t.id = kToken;
        t.display_key = "dft_new...abcd";
        t.rotated_at = "2026-06-01T00:00:00.000Z";
        t.previous_expires_at =
            previous ? std::optional<std::string>("2026-06-02T00:00:00.000Z") : std::nullopt;
        t.expires_at = "2027-01-01T00:00:00.000Z";
        store::tokens::KeyHashes hashes{digest(next),
                                        previous ? std::optional(digest(*previous)) : std::nullopt};
        ASSERT_TRUE(m_store.write(
            [&](store::Connection& c) { return store::tokens::rotate(c, t, hashes); }));
    }

    test::TempDir m_dir;
    store::Store m_store{test::test_engine(m_dir.path())};
};
} // namespace

TEST_F(TokenKeys, LifecycleColumnsReadBackAsWritten) {
    auto match = find(1);
    ASSERT_TRUE(match);
    EXPECT_EQ(match->token.expires_at, "2027-01-01T00:00:00.000Z");
    EXPECT_EQ(match->token.allowed_ips, (std::vector<std::string>{"10.0.0.0/8", "2001:db8::/32"}));
    ASSERT_TRUE(match->token.rate_limit);
    EXPECT_EQ(*match->token.rate_limit, (core::RateLimit{100, 60}));
}

TEST_F(TokenKeys, LookupFindsTheCurrentKeyAndSaysSo) {
    auto match = find(1);
    ASSERT_TRUE(match);
    EXPECT_EQ(match->token.id, kToken);
    EXPECT_FALSE(match->previous_key);
}

TEST_F(TokenKeys, AfterRotationWithGraceBothKeysAreFoundAndTheOldOneIsMarkedPrevious) {
    rotate(2, 1);
    auto current = find(2);
    auto previous = find(1);
    ASSERT_TRUE(current);
    ASSERT_TRUE(previous);
    EXPECT_FALSE(current->previous_key);
    EXPECT_TRUE(previous->previous_key);
    EXPECT_EQ(previous->token.id, kToken);
    EXPECT_EQ(previous->token.previous_expires_at, "2026-06-02T00:00:00.000Z");
    EXPECT_EQ(current->token.display_key, "dft_new...abcd");
    EXPECT_EQ(current->token.rotated_at, "2026-06-01T00:00:00.000Z");
}

TEST_F(TokenKeys, AfterRotationWithoutGraceTheOldKeyIsUnknown) {
    rotate(2, std::nullopt);
    EXPECT_TRUE(find(2));
    EXPECT_FALSE(find(1));
}

TEST_F(TokenKeys, ASecondRotationDropsTheOldestKey) {
    rotate(2, 1);
    rotate(3, 2);
    EXPECT_FALSE(find(1));
    EXPECT_TRUE(find(2)->previous_key);
    EXPECT_FALSE(find(3)->previous_key);
}

TEST_F(TokenKeys, RotatingARevokedTokenChangesNothing) {
    m_store.write(
        [](store::Connection& c) { store::tokens::revoke(c, kToken, "2026-05-22T00:00:00.000Z"); });
    core::AccessToken t;
    t.id = kToken;
    t.display_key = "dft_new...abcd";
    EXPECT_FALSE(m_store.write([&](store::Connection& c) {
        return store::tokens::rotate(c, t, {digest(2), std::nullopt});
    }));
    EXPECT_FALSE(find(2));
    EXPECT_TRUE(find(1));
}

TEST_F(TokenKeys, UseOfTheCurrentKeyIsMarkedOnlyWhileItIsStillCurrent) {
    // A use of key 1 flushed after key 2 replaced it must not mark key 2 as used.
    rotate(2, 1);
    m_store.write([](store::Connection& c) {
        store::tokens::touch(c, {{kToken, "2026-06-01T00:00:01.000Z", digest(1), ""}});
    });
    EXPECT_FALSE(find(2)->token.current_key_used);
    m_store.write([](store::Connection& c) {
        store::tokens::touch(c, {{kToken, "2026-06-01T00:00:02.000Z", digest(2), ""}});
    });
    EXPECT_TRUE(find(2)->token.current_key_used);
    EXPECT_EQ(find(2)->token.last_used_at, "2026-06-01T00:00:02.000Z");
}

TEST_F(TokenKeys, PurgeDeletesOnlyTokensExpiredBeforeTheCutoff) {
    EXPECT_EQ(m_store.write([](store::Connection& c) {
        return store::tokens::purge_expired(c, "2027-01-01T00:00:00.000Z");
    }),
              0);
    EXPECT_TRUE(find(1));
    EXPECT_EQ(m_store.write([](store::Connection& c) {
        return store::tokens::purge_expired(c, "2027-01-01T00:00:00.001Z");
    }),
              1);
    EXPECT_FALSE(find(1));
}

TEST_F(TokenKeys, ExpiredTokensDoNotCountTowardTheLimit) {
    auto count = [&](const char* now) {
        return m_store.read(
            [&](store::Connection& c) { return store::tokens::live_count(c, kAlice, now); });
    };
    EXPECT_EQ(count("2026-12-31T23:59:59.999Z"), 1);
    EXPECT_EQ(count("2027-01-01T00:00:00.000Z"), 0);
}

// The hot path's statement, planned by real SQLite: both halves must search an index (the
// primary key's or the partial index on previous_hash), never scan the table.
TEST(TokenKeyLookupPlan, UsesAnIndexForBothHashesAndNeverScans) {
    test::TempDir dir;
    { store::Store store(store::sqlite::open(dir.path() / "tokend.db")); } // migrates
    SQLite::Database db((dir.path() / "tokend.db").string(), SQLite::OPEN_READONLY);
    SQLite::Statement plan(db,
                           "EXPLAIN QUERY PLAN " +
                               std::string(sql::sqlite::kQueries[sql::token_by_key_hash.index]));
    std::vector<std::string> details;
    while (plan.executeStep()) {
        details.push_back(plan.getColumn(3).getString());
    }
    std::string all;
    for (const auto& d : details) {
        all += d + "\n";
        EXPECT_EQ(d.find("SCAN"), std::string::npos) << d;
    }
    EXPECT_NE(all.find("USING INDEX sqlite_autoindex_access_tokens"), std::string::npos) << all;
    EXPECT_NE(all.find("USING INDEX access_tokens_by_previous_hash (previous_hash=?)"),
              std::string::npos)
        << all;
}
