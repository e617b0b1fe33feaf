// Store: migrations, group commit and rollback isolation, read-after-write, and the files a data
// dir holds (secret.key, the dir's mode).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "app.hpp"
#include "crypto/random.hpp"
#include "crypto/token_hasher.hpp"
#include "store/accounts.hpp"
#include "store/sqlite/engine.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

using namespace tokend;

namespace {
core::Account account(const std::string& id) {
    return core::Account{id, id + "@example.com", std::nullopt, std::nullopt,
                         "2026-05-21T00:00:00.000Z"};
}

std::string id_for(int n) {
    std::string digits = std::to_string(n);
    return std::string(24 - digits.size(), 'a') + digits;
}

bool has_account(store::Store& s, const std::string& id) {
    return s.read([&](store::Connection& c) { return store::accounts::by_id(c, id); }).has_value();
}

int migration_files() {
    auto dir = std::filesystem::path(__FILE__).parent_path() / ".." / ".." / "sql" / "sqlite" /
               "migrations";
    int count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        count += entry.path().extension() == ".sql" ? 1 : 0;
    }
    return count;
}

mode_t mode_of(const std::filesystem::path& path) {
    struct stat info {};
    EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
    return info.st_mode & 0777;
}
} // namespace

TEST(Store, RecordsSchemaVersionEqualToMigrationCount) {
    test::TempDir dir;
    store::Store s(test::test_engine(dir.path()));
    EXPECT_GT(migration_files(), 0);
    EXPECT_EQ(s.schema_version(), migration_files());
}

TEST(Store, ReopeningKeepsDataAndDoesNotReapplyMigrations) {
    test::TempDir dir;
    {
        store::Store s(test::test_engine(dir.path()));
        s.write([](store::Connection& c) { store::accounts::insert(c, account(id_for(1))); });
    }
    store::Store again(test::test_engine(dir.path()));
    EXPECT_EQ(again.schema_version(), migration_files());
    EXPECT_TRUE(has_account(again, id_for(1)));
}

TEST(Store, RefusesADatabaseFromANewerTokend) {
    test::TempDir dir;
    {
        store::Store s(test::test_engine(dir.path()));
        s.write([](store::Connection& c) {
            c.exec(test::on_postgres() ? "UPDATE tokend_schema SET version = 999"
                                       : "PRAGMA user_version = 999");
        });
    }
    EXPECT_THROW(store::Store(test::test_engine(dir.path())), std::runtime_error);
}

TEST(Store, WriteReturnsTheFunctionsResult) {
    test::TempDir dir;
    store::Store s(test::test_engine(dir.path()));
    EXPECT_EQ(s.write([](store::Connection&) { return 42; }), 42);
}

TEST(Store, ThrowingWriteRollsBackOnlyItselfWhileItsBatchCommits) {
    test::TempDir dir;
    store::Store s(test::test_engine(dir.path()));
    // Hold the writer busy so the next two writes queue up and most likely share one batch; the
    // assertions hold whichever way they are batched.
    std::mutex mutex;
    std::condition_variable cv;
    int queued = 0;
    std::thread blocker([&] {
        s.write([&](store::Connection&) {
            std::unique_lock lock(mutex);
            cv.wait(lock, [&] { return queued == 2; });
        });
    });
    auto announce = [&] {
        std::lock_guard lock(mutex);
        ++queued;
        cv.notify_all();
    };
    std::thread failing([&] {
        announce();
        EXPECT_THROW(s.write([](store::Connection& c) {
            store::accounts::insert(c, account(id_for(1)));
            throw std::runtime_error("this write fails after its insert");
        }),
                     std::runtime_error);
    });
    std::thread succeeding([&] {
        announce();
        s.write([](store::Connection& c) { store::accounts::insert(c, account(id_for(2))); });
    });
    failing.join();
    succeeding.join();
    blocker.join();
    EXPECT_FALSE(has_account(s, id_for(1)));
    EXPECT_TRUE(has_account(s, id_for(2)));
}

TEST(Store, ThrowingWriteRethrowsTheSameExceptionType) {
    test::TempDir dir;
    store::Store s(test::test_engine(dir.path()));
    EXPECT_THROW(s.write([](store::Connection&) { throw std::invalid_argument("x"); }),
                 std::invalid_argument);
}

TEST(Store, ConcurrentWritesAllCommitAndAreVisibleOnReturn) {
    test::TempDir dir;
    store::Store s(test::test_engine(dir.path()));
    constexpr int kThreads = 16;
    constexpr int kWritesEach = 10;
    std::atomic<int> invisible{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kWritesEach; ++i) {
                std::string id = id_for(t * 1000 + i);
                s.write([&](store::Connection& c) { store::accounts::insert(c, account(id)); });
                if (!has_account(s, id)) {
                    ++invisible;
                }
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(invisible.load(), 0);
    auto count = s.read([](store::Connection& c) { return store::accounts::count(c); });
    EXPECT_EQ(count, kThreads * kWritesEach);
}

TEST(Store, CommittedWritesSurviveReopening) {
    test::TempDir dir;
    {
        store::Store s(test::test_engine(dir.path()));
        for (int i = 0; i < 5; ++i) {
            s.write([&](store::Connection& c) { store::accounts::insert(c, account(id_for(i))); });
        }
    }
    store::Store again(test::test_engine(dir.path()));
    EXPECT_EQ(again.read([](store::Connection& c) { return store::accounts::count(c); }), 5);
}

TEST(Store, PingAnswersWhenTheDatabaseDoes) {
    test::TempDir dir;
    store::Store s(test::test_engine(dir.path()));
    EXPECT_TRUE(s.ping());
}

TEST(SecretKey, IsCreatedWithThirtyTwoBytesAndMode0600) {
    test::TempDir dir;
    crypto::init();
    auto path = dir.path() / "secret.key";
    std::string key = crypto::load_or_create_secret_key(path);
    EXPECT_EQ(key.size(), 32u);
    EXPECT_EQ(std::filesystem::file_size(path), 32u);
    EXPECT_EQ(mode_of(path), 0600u);
}

TEST(SecretKey, IsReusedOnReopen) {
    test::TempDir dir;
    crypto::init();
    auto path = dir.path() / "secret.key";
    std::string first = crypto::load_or_create_secret_key(path);
    EXPECT_EQ(crypto::load_or_create_secret_key(path), first);
}

TEST(SecretKey, RefusesAKeyFileOfTheWrongSize) {
    test::TempDir dir;
    auto path = dir.path() / "secret.key";
    std::ofstream(path) << "too short";
    EXPECT_ANY_THROW(crypto::load_or_create_secret_key(path));
}

TEST(DataDir, IsCreatedWithMode0700) {
    test::TempDir dir;
    AppConfig config;
    config.data_dir = dir.path() / "nested" / "data";
    { App app(config); }
    EXPECT_EQ(mode_of(config.data_dir), 0700u);
    EXPECT_EQ(mode_of(config.data_dir / "secret.key"), 0600u);
    EXPECT_TRUE(std::filesystem::exists(config.data_dir / "tokend.db"));
}

TEST(DataDir, SameKeyAcrossAppRestarts) {
    test::TempDir dir;
    AppConfig config;
    config.data_dir = dir.path() / "data";
    { App app(config); }
    std::string first = crypto::load_or_create_secret_key(config.data_dir / "secret.key");
    { App app(config); }
    EXPECT_EQ(crypto::load_or_create_secret_key(config.data_dir / "secret.key"), first);
}
