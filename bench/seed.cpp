// Fills a data dir for bench/run.sh: N check tokens spread over accounts of 1,000 tokens each,
// plus creator accounts with one `*` token each, written through the store room in big
// transactions. Prints nothing secret anywhere but the two token files it is asked to write.
//
//   tokend_seed DATA_DIR N CHECK_TOKENS_FILE CREATOR_TOKENS_FILE [POSTGRES_URL]
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/token_format.hpp"
#include "core/types.hpp"
#include "crypto/random.hpp"
#include "crypto/token_hasher.hpp"
#include "service/ids.hpp"
#include "store/accounts.hpp"
#include "store/postgres/engine.hpp"
#include "store/sqlite/engine.hpp"
#include "store/store.hpp"
#include "store/tokens.hpp"

using namespace tokend;

namespace {
constexpr long kTokensPerAccount = 1'000;
constexpr long kTokensPerTransaction = 20'000;
constexpr long kCreators = 1'024;
constexpr std::size_t kSampleSize = 10'000; // check tokens written for wrk to rotate through

struct Seeded {
    std::string key;
    core::AccessToken token;
    crypto::Digest hash;
};

Seeded new_token(const crypto::TokenHasher& hasher, const std::string& account_id,
                 core::Permissions permissions, const std::string& now) {
    Seeded s;
    s.key = crypto::new_token();
    s.hash = hasher.hash(s.key);
    s.token.id = service::new_object_id();
    s.token.account_id = account_id;
    s.token.display_key = core::display_key(s.key);
    s.token.scope.permissions = std::move(permissions);
    s.token.created_at = now;
    return s;
}

core::Account new_account(const std::string& email, const std::string& now) {
    core::Account account;
    account.id = service::new_object_id();
    account.email = email;
    account.created_at = now;
    return account;
}

// Inserts `count` tokens for accounts named "<prefix>N@bench.invalid"; returns the raw keys,
// all of them when `keep_all`, else a uniform sample of at most kSampleSize.
bool g_sqlite = true; // false when seeding a PostgreSQL database

std::vector<std::string> seed(store::Store& store, const crypto::TokenHasher& hasher, long count,
                              long per_account, const std::string& prefix,
                              core::Permissions permissions, bool keep_all) {
    std::vector<std::string> kept;
    std::mt19937_64 pick(std::random_device{}());
    long done = 0;
    long accounts = 0;
    std::string account_id;
    while (done < count) {
        long batch = std::min(kTokensPerTransaction, count - done);
        std::string now = core::now_timestamp();
        std::vector<Seeded> tokens;
        std::vector<core::Account> new_accounts;
        for (long i = 0; i < batch; ++i, ++done) {
            if (done % per_account == 0) {
                new_accounts.push_back(
                    new_account(prefix + std::to_string(accounts++) + "@bench.invalid", now));
                account_id = new_accounts.back().id;
            }
            tokens.push_back(new_token(hasher, account_id, permissions, now));
            // Reservoir sampling keeps a uniform sample across the whole id range.
            if (keep_all || kept.size() < kSampleSize) {
                kept.push_back(tokens.back().key);
            } else if (auto slot = pick() % static_cast<unsigned long>(done + 1);
                       slot < kSampleSize) {
                kept[slot] = tokens.back().key;
            }
        }
        store.write([&](store::Connection& c) {
            if (g_sqlite) {
                c.exec("PRAGMA cache_size = -262144"); // 256 MiB: the hash index goes in randomly
            }
            for (const auto& account : new_accounts) {
                store::accounts::insert(c, account);
            }
            for (const auto& s : tokens) {
                store::tokens::insert(c, s.token, s.hash);
            }
        });
    }
    return kept;
}

void write_lines(const std::string& path, const std::vector<std::string>& lines) {
    std::ofstream out(path, std::ios::trunc);
    for (const auto& line : lines) {
        out << line << '\n';
    }
    if (!out) {
        throw std::runtime_error("cannot write " + path);
    }
}
} // namespace

int main(int argc, char** argv) {
    if (argc != 5 && argc != 6) {
        std::cerr << "usage: tokend_seed DATA_DIR N CHECK_TOKENS_FILE CREATOR_TOKENS_FILE "
                     "[POSTGRES_URL]\n";
        return 2;
    }
    try {
        std::filesystem::path dir = argv[1];
        long count = std::atol(argv[2]);
        crypto::init();
        std::filesystem::create_directories(dir);
        std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                                     std::filesystem::perm_options::replace);
        crypto::TokenHasher hasher(crypto::load_or_create_secret_key(dir / "secret.key"));
        // With a PostgreSQL URL the tokens go there, hashed with DATA_DIR/secret.key.
        std::unique_ptr<store::Engine> engine;
        if (argc == 6) {
            g_sqlite = false;
            engine = std::make_unique<store::postgres::Engine>(argv[5]);
        } else {
            engine = store::sqlite::open(dir / "tokend.db");
        }
        store::Store store(std::move(engine));
        auto checks = seed(store, hasher, count, kTokensPerAccount, "check",
                           {core::Permission::AnalyticsRead, core::Permission::GoalsRead}, false);
        auto creators = seed(store, hasher, kCreators, 1, "creator", {core::Permission::All}, true);
        write_lines(argv[3], checks);
        write_lines(argv[4], creators);
        return 0;
    } catch (const std::exception& error) {
        std::cerr << "tokend_seed: " << error.what() << '\n';
        return 1;
    }
}
