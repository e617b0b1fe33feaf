// The repositories (accounts, tokens, websites) on a real SQLite database in a temp dir.
#include <gtest/gtest.h>

#include <string>

#include "core/permission.hpp"
#include "crypto/token_hasher.hpp"
#include "store/accounts.hpp"
#include "store/sqlite/engine.hpp"
#include "store/store.hpp"
#include "store/tokens.hpp"
#include "store/websites.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

using namespace tokend;

namespace {
class Repositories : public ::testing::Test {
protected:
    test::TempDir m_dir;
    store::Store m_store{test::test_engine(m_dir.path())};

    template <class F>
    auto write(F&& fn) {
        return m_store.write(std::forward<F>(fn));
    }
    template <class F>
    auto read(F&& fn) {
        return m_store.read(std::forward<F>(fn));
    }

    static core::Account account(const std::string& id, const std::string& email) {
        return core::Account{id, email, std::nullopt, std::nullopt, "2026-05-21T00:00:00.000Z"};
    }
    void add_account(const std::string& id, const std::string& email) {
        ASSERT_TRUE(write(
            [&](store::Connection& c) { return store::accounts::insert(c, account(id, email)); }));
    }
    static core::AccessToken token(const std::string& id, const std::string& account_id,
                                   const std::string& created_at) {
        core::AccessToken t;
        t.id = id;
        t.account_id = account_id;
        t.name = "n-" + id;
        t.display_key = "dft_abc...wxyz";
        t.scope = {{core::Permission::AnalyticsRead, core::Permission::ApiKeysRead},
                   {"bbbbbbbbbbbbbbbbbbbbbbb1"}};
        t.created_at = created_at;
        return t;
    }
    static crypto::Digest digest(std::uint8_t seed) {
        crypto::Digest d{};
        d.fill(seed);
        return d;
    }
    void add_token(const core::AccessToken& t, std::uint8_t seed) {
        write([&](store::Connection& c) { store::tokens::insert(c, t, digest(seed)); });
    }
    static core::Website website(const std::string& id, const std::string& owner,
                                 const std::string& domain) {
        return core::Website{id, owner, domain, std::nullopt, "UTC", "2026-05-21T00:00:00.000Z"};
    }

    const std::string kAlice = "aaaaaaaaaaaaaaaaaaaaaaa1";
    const std::string kBob = "aaaaaaaaaaaaaaaaaaaaaaa2";
};
} // namespace

TEST_F(Repositories, AccountInsertThenFindByEmailAndId) {
    add_account(kAlice, "alice@example.com");
    auto by_email = read(
        [](store::Connection& c) { return store::accounts::by_email(c, "alice@example.com"); });
    ASSERT_TRUE(by_email.has_value());
    EXPECT_EQ(by_email->id, kAlice);
    EXPECT_EQ(by_email->name, std::nullopt);
    auto by_id = read([&](store::Connection& c) { return store::accounts::by_id(c, kAlice); });
    ASSERT_TRUE(by_id.has_value());
    EXPECT_EQ(by_id->email, "alice@example.com");
}

TEST_F(Repositories, AccountDuplicateEmailIsRefusedAndChangesNothing) {
    add_account(kAlice, "alice@example.com");
    bool inserted = write([&](store::Connection& c) {
        return store::accounts::insert(c, account(kBob, "alice@example.com"));
    });
    EXPECT_FALSE(inserted);
    EXPECT_FALSE(read([&](store::Connection& c) { return store::accounts::by_id(c, kBob); }));
    EXPECT_EQ(read([](store::Connection& c) { return store::accounts::count(c); }), 1);
}

TEST_F(Repositories, AccountUnknownEmailIsAbsent) {
    EXPECT_FALSE(read(
        [](store::Connection& c) { return store::accounts::by_email(c, "nobody@example.com"); }));
}

TEST_F(Repositories, TokenInsertThenFindByHashWithEveryField) {
    add_account(kAlice, "alice@example.com");
    auto t = token("ccccccccccccccccccccccc1", kAlice, "2026-05-21T00:00:00.000Z");
    add_token(t, 7);
    auto match =
        read([](store::Connection& c) { return store::tokens::by_key_hash(c, digest(7)); });
    ASSERT_TRUE(match.has_value());
    EXPECT_FALSE(match->previous_key);
    auto* found = &match->token;
    EXPECT_EQ(found->id, t.id);
    EXPECT_EQ(found->account_id, kAlice);
    EXPECT_EQ(found->name, t.name);
    EXPECT_EQ(found->display_key, t.display_key);
    EXPECT_EQ(found->scope.permissions, t.scope.permissions);
    EXPECT_EQ(found->scope.website_ids, t.scope.website_ids);
    EXPECT_EQ(found->created_at, t.created_at);
    EXPECT_EQ(found->last_used_at, std::nullopt);
    EXPECT_EQ(found->revoked_at, std::nullopt);
    EXPECT_EQ(found->expires_at, std::nullopt);
    EXPECT_EQ(found->rotated_at, std::nullopt);
    EXPECT_EQ(found->previous_expires_at, std::nullopt);
    EXPECT_TRUE(found->allowed_ips.empty());
    EXPECT_EQ(found->rate_limit, std::nullopt);
    EXPECT_EQ(found->last_used_ip, std::nullopt);
    EXPECT_FALSE(found->current_key_used);
}

TEST_F(Repositories, TokenWithEmptyWebsiteListReadsBackEmpty) {
    add_account(kAlice, "alice@example.com");
    auto t = token("ccccccccccccccccccccccc1", kAlice, "2026-05-21T00:00:00.000Z");
    t.scope.website_ids.clear();
    add_token(t, 7);
    auto found = read([&](store::Connection& c) { return store::tokens::by_id(c, t.id); });
    ASSERT_TRUE(found.has_value());
    EXPECT_TRUE(found->scope.website_ids.empty());
}

TEST_F(Repositories, TokenUnknownHashIsAbsent) {
    EXPECT_FALSE(
        read([](store::Connection& c) { return store::tokens::by_key_hash(c, digest(9)); }));
}

TEST_F(Repositories, TokenDuplicateHashIsRefused) {
    add_account(kAlice, "alice@example.com");
    add_token(token("ccccccccccccccccccccccc1", kAlice, "2026-05-21T00:00:00.000Z"), 7);
    EXPECT_ANY_THROW(
        add_token(token("ccccccccccccccccccccccc2", kAlice, "2026-05-21T00:00:00.000Z"), 7));
}

TEST_F(Repositories, LiveTokensOfAccountNewestFirstWithoutRevokedOrOthers) {
    add_account(kAlice, "alice@example.com");
    add_account(kBob, "bob@example.com");
    add_token(token("ccccccccccccccccccccccc1", kAlice, "2026-05-21T00:00:01.000Z"), 1);
    add_token(token("ccccccccccccccccccccccc3", kAlice, "2026-05-21T00:00:03.000Z"), 3);
    add_token(token("ccccccccccccccccccccccc2", kAlice, "2026-05-21T00:00:02.000Z"), 2);
    add_token(token("ccccccccccccccccccccccc4", kAlice, "2026-05-21T00:00:04.000Z"), 4);
    add_token(token("ccccccccccccccccccccccc5", kBob, "2026-05-21T00:00:05.000Z"), 5);
    write([](store::Connection& c) {
        return store::tokens::revoke(c, "ccccccccccccccccccccccc4", "2026-05-21T00:01:00.000Z");
    });
    auto live =
        read([&](store::Connection& c) { return store::tokens::live_of_account(c, kAlice); });
    ASSERT_EQ(live.size(), 3u);
    EXPECT_EQ(live[0].id, "ccccccccccccccccccccccc3");
    EXPECT_EQ(live[1].id, "ccccccccccccccccccccccc2");
    EXPECT_EQ(live[2].id, "ccccccccccccccccccccccc1");
    EXPECT_EQ(read([&](store::Connection& c) {
                  return store::tokens::live_count(c, kAlice, "2026-05-21T00:00:00.000Z");
              }),
              3);
}

TEST_F(Repositories, RevokeTwiceReportsOnlyTheFirst) {
    add_account(kAlice, "alice@example.com");
    add_token(token("ccccccccccccccccccccccc1", kAlice, "2026-05-21T00:00:00.000Z"), 1);
    auto revoke = [&](const std::string& when) {
        return write([&](store::Connection& c) {
            return store::tokens::revoke(c, "ccccccccccccccccccccccc1", when);
        });
    };
    EXPECT_TRUE(revoke("2026-05-21T00:01:00.000Z"));
    EXPECT_FALSE(revoke("2026-05-21T00:02:00.000Z"));
    auto found = read(
        [](store::Connection& c) { return store::tokens::by_id(c, "ccccccccccccccccccccccc1"); });
    EXPECT_EQ(found->revoked_at, "2026-05-21T00:01:00.000Z");
}

TEST_F(Repositories, RevokeUnknownTokenReportsFalse) {
    EXPECT_FALSE(write([](store::Connection& c) {
        return store::tokens::revoke(c, "ccccccccccccccccccccccc9", "2026-05-21T00:01:00.000Z");
    }));
}

TEST_F(Repositories, TouchNeverMovesLastUsedBackwards) {
    add_account(kAlice, "alice@example.com");
    const std::string id = "ccccccccccccccccccccccc1";
    add_token(token(id, kAlice, "2026-05-21T00:00:00.000Z"), 1);
    auto touch = [&](const std::string& when) {
        write([&](store::Connection& c) {
            store::tokens::touch(c, {{id, when, std::nullopt, ""}});
        });
        return read([&](store::Connection& c) { return store::tokens::by_id(c, id); })
            ->last_used_at;
    };
    EXPECT_EQ(touch("2026-05-21T00:05:00.000Z"), "2026-05-21T00:05:00.000Z");
    EXPECT_EQ(touch("2026-05-21T00:04:00.000Z"), "2026-05-21T00:05:00.000Z");
    EXPECT_EQ(touch("2026-05-21T00:06:00.000Z"), "2026-05-21T00:06:00.000Z");
}

TEST_F(Repositories, WebsiteInsertMakesTheOwnerAMember) {
    add_account(kAlice, "alice@example.com");
    const std::string site = "ddddddddddddddddddddddd1";
    EXPECT_TRUE(write([&](store::Connection& c) {
        return store::websites::insert_with_owner(c, website(site, kAlice, "example.com"));
    }));
    auto memberships =
        read([&](store::Connection& c) { return store::websites::memberships_of(c, kAlice); });
    ASSERT_EQ(memberships.size(), 1u);
    EXPECT_EQ(memberships[0].website_id, site);
    EXPECT_EQ(memberships[0].role, core::Role::Owner);
}

TEST_F(Repositories, WebsiteDuplicateDomainForOneOwnerIsRefusedWithoutAMembership) {
    add_account(kAlice, "alice@example.com");
    write([&](store::Connection& c) {
        return store::websites::insert_with_owner(
            c, website("ddddddddddddddddddddddd1", kAlice, "example.com"));
    });
    EXPECT_FALSE(write([&](store::Connection& c) {
        return store::websites::insert_with_owner(
            c, website("ddddddddddddddddddddddd2", kAlice, "example.com"));
    }));
    auto memberships =
        read([&](store::Connection& c) { return store::websites::memberships_of(c, kAlice); });
    EXPECT_EQ(memberships.size(), 1u);
}

TEST_F(Repositories, WebsiteSameDomainForAnotherOwnerIsAllowed) {
    add_account(kAlice, "alice@example.com");
    add_account(kBob, "bob@example.com");
    write([&](store::Connection& c) {
        return store::websites::insert_with_owner(
            c, website("ddddddddddddddddddddddd1", kAlice, "example.com"));
    });
    EXPECT_TRUE(write([&](store::Connection& c) {
        return store::websites::insert_with_owner(
            c, website("ddddddddddddddddddddddd2", kBob, "example.com"));
    }));
}

TEST_F(Repositories, MembershipsOfListsEveryRoleOfOneAccountOnly) {
    add_account(kAlice, "alice@example.com");
    add_account(kBob, "bob@example.com");
    const std::string site1 = "ddddddddddddddddddddddd1";
    const std::string site2 = "ddddddddddddddddddddddd2";
    write([&](store::Connection& c) {
        store::websites::insert_with_owner(c, website(site1, kAlice, "one.example.com"));
        store::websites::insert_with_owner(c, website(site2, kAlice, "two.example.com"));
        store::websites::add_member(c, kBob, site2, core::Role::Viewer, "2026-05-21T00:00:00.000Z");
    });
    auto bob = read([&](store::Connection& c) { return store::websites::memberships_of(c, kBob); });
    ASSERT_EQ(bob.size(), 1u);
    EXPECT_EQ(bob[0].website_id, site2);
    EXPECT_EQ(bob[0].role, core::Role::Viewer);
    auto alice =
        read([&](store::Connection& c) { return store::websites::memberships_of(c, kAlice); });
    EXPECT_EQ(alice.size(), 2u);
}
