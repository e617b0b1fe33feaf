// `tokend backup` and `tokend restore` as processes (SPEC §13): a backup taken from a server
// under write load restores every token acknowledged before it began; restore refuses a running
// server's data dir and any backup that is corrupt, mismatched or too new, and changes nothing
// when it refuses; file modes stay private.
#include <httplib.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <SQLiteCpp/Database.h>
#include <atomic>
#include <mutex>
#include <nlohmann/json.hpp>

#include "crypto/fingerprint.hpp"
#include "process_helpers.hpp"
#include "store/sqlite/backup.hpp"
#include "support/temp_dir.hpp"

using namespace tokend::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {
const std::string kTokensPath = "/api/v1/admin/access-tokens";
constexpr int kWorkers = 4;
constexpr int kAcknowledgedBeforeBackup = 50;
constexpr int kAcknowledgedAfterBackup = 20;

mode_t mode_of(const fs::path& path) {
    struct stat info {};
    ::stat(path.c_str(), &info);
    return info.st_mode & 0777;
}

int account_status(int port, const std::string& token) {
    httplib::Client client("127.0.0.1", port);
    auto result = client.Get("/api/v1/admin/account", {{"Authorization", "Bearer " + token}});
    return result ? result->status : -1;
}

// Raw keys whose create response arrived, in order of arrival.
struct Ledger {
    std::mutex mutex;
    std::vector<std::string> created;
    std::atomic<int> count{0};
    std::vector<std::string> snapshot() {
        std::lock_guard lock(mutex);
        return created;
    }
};

void create_until_the_server_dies(int port, const std::string& caller, Ledger& ledger) {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(10, 0);
    for (;;) {
        auto result = client.Post(kTokensPath.c_str(), {{"Authorization", "Bearer " + caller}},
                                  R"({"permissions":["analytics:read"]})", "application/json");
        if (!result || result->status != 200) {
            return;
        }
        std::lock_guard lock(ledger.mutex);
        ledger.created.push_back(json::parse(result->body)["data"][0]["key"]);
        ++ledger.count;
    }
}

void wait_for_count(const Ledger& ledger, int count) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (ledger.count < count && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

// Replaces the `name=` line of a backup's manifest.
void set_manifest_line(const fs::path& backup, const std::string& name, const std::string& value) {
    auto text = read_file(backup / "manifest.txt");
    text = std::regex_replace(text, std::regex("(^|\n)" + name + "=[^\n]*"),
                              "$1" + name + "=" + value);
    std::ofstream(backup / "manifest.txt", std::ios::binary | std::ios::trunc) << text;
}

// A database edited after the backup, with the manifest's digest brought in line so only the
// deeper checks can catch it.
void refresh_digest(const fs::path& backup) {
    set_manifest_line(backup, "database-blake2b",
                      tokend::crypto::file_digest(backup / "tokend.db"));
}

class BackupRestore : public ::testing::Test {
protected:
    Result cli(std::vector<std::string> args, const fs::path& data_dir) {
        args.insert(args.end(), {"--data-dir", data_dir.string()});
        return run_cli({std::move(args), {}, "", m_dir.path()});
    }
    std::unique_ptr<ServerProcess> start(const fs::path& data_dir) {
        std::vector<std::string> args = {"serve",           "--listen",
                                         "127.0.0.1:0",     "--data-dir",
                                         data_dir.string(), "--max-tokens-per-account",
                                         "100000"};
        auto log = m_dir.path() / ("serve-" + std::to_string(++m_starts) + ".log");
        return std::make_unique<ServerProcess>(Launch{args, {}, "", m_dir.path()}, log);
    }
    // An account and a `*` token made by the CLI in `data_dir`.
    std::string bootstrap(const fs::path& data_dir) {
        EXPECT_EQ(cli({"account", "create", "--email", "ops@example.com"}, data_dir).code, 0);
        auto r = cli({"token", "create", "--email", "ops@example.com"}, data_dir);
        EXPECT_EQ(r.code, 0) << r.err;
        return r.out.substr(0, 40);
    }
    // A backup of a data dir holding one token; returns that token.
    std::string make_backup(const fs::path& to) {
        std::string token = bootstrap(data());
        auto r = cli({"backup", "--to", to.string()}, data());
        EXPECT_EQ(r.code, 0) << r.err;
        return token;
    }
    // A restore that must be refused: exit 1, one line naming `reason`, nothing in `target`.
    // Returns the message.
    std::string expect_refused(const fs::path& backup, const fs::path& target,
                               const std::string& reason) {
        auto r = cli({"restore", "--from", backup.string()}, target);
        EXPECT_EQ(r.code, 1) << r.err;
        EXPECT_EQ(line_count(r.err), 1) << r.err;
        EXPECT_NE(r.err.find(reason), std::string::npos) << r.err;
        EXPECT_FALSE(fs::exists(target / "tokend.db"));
        EXPECT_FALSE(fs::exists(target / "secret.key"));
        return r.err;
    }
    fs::path data() const { return m_dir.path() / "data"; }
    fs::path path(const std::string& name) const { return m_dir.path() / name; }

    TempDir m_dir;
    int m_starts = 0;
};
} // namespace

TEST_F(BackupRestore, TokensAcknowledgedBeforeBackupAuthenticateAfterKillAndRestore) {
    std::string caller = bootstrap(data());
    auto server = start(data());
    ASSERT_GT(server->port(), 0);
    Ledger ledger;
    std::vector<std::thread> workers;
    for (int i = 0; i < kWorkers; ++i) {
        workers.emplace_back(create_until_the_server_dies, server->port(), caller,
                             std::ref(ledger));
    }
    wait_for_count(ledger, kAcknowledgedBeforeBackup);
    auto before = ledger.snapshot();
    auto backup = cli({"backup", "--to", path("backup").string()}, data());
    int after_backup = ledger.count;
    // The load goes on after the backup, so the kill below lands on a busy server.
    wait_for_count(ledger, after_backup + kAcknowledgedAfterBackup);
    EXPECT_EQ(server->stop(SIGKILL), 128 + SIGKILL);
    for (auto& worker : workers) {
        worker.join();
    }
    ASSERT_EQ(backup.code, 0) << backup.err;
    ASSERT_GE(ledger.count, after_backup + kAcknowledgedAfterBackup) << "the load stopped early";

    auto restored = path("restored");
    auto restore = cli({"restore", "--from", path("backup").string()}, restored);
    ASSERT_EQ(restore.code, 0) << restore.err;
    auto again = start(restored);
    ASSERT_GT(again->port(), 0);
    int lost = 0;
    for (const auto& key : before) {
        lost += account_status(again->port(), key) == 200 ? 0 : 1;
    }
    std::printf("backup under load: acknowledged before=%zu during=%d after=%d lost=%d\n",
                before.size(), after_backup - static_cast<int>(before.size()),
                ledger.count.load() - after_backup, lost);
    EXPECT_EQ(lost, 0);
    EXPECT_EQ(account_status(again->port(), caller), 200);
    EXPECT_EQ(again->stop(SIGTERM), 0);
}

TEST_F(BackupRestore, BackupWritesPrivateFilesAndLeavesNoTemporaryDirectory) {
    fs::create_directory(path("empty"));
    make_backup(path("empty"));
    EXPECT_EQ(mode_of(path("empty")), 0700u);
    for (const char* name : {"tokend.db", "secret.key", "manifest.txt"}) {
        EXPECT_EQ(mode_of(path("empty") / name), 0600u) << name;
    }
    EXPECT_EQ(read_file(path("empty") / "secret.key"), read_file(data() / "secret.key"));
    EXPECT_FALSE(fs::exists(path("empty") / "tokend.db-wal")); // one self-contained file
    for (const auto& entry : fs::directory_iterator(m_dir.path())) {
        EXPECT_EQ(entry.path().filename().string().find(".partial"), std::string::npos)
            << entry.path();
    }
    auto manifest = read_file(path("empty") / "manifest.txt");
    EXPECT_NE(manifest.find("schema-version=" +
                            std::to_string(tokend::store::sqlite::latest_schema_version()) + "\n"),
              std::string::npos)
        << manifest;
    EXPECT_NE(manifest.find("tokend-version=" TOKEND_VERSION "\n"), std::string::npos);
}

TEST_F(BackupRestore, BackupRefusesNonEmptyTargetAndLeavesItUntouched) {
    bootstrap(data());
    fs::create_directory(path("taken"));
    std::ofstream(path("taken") / "notes.txt") << "keep me";
    auto r = cli({"backup", "--to", path("taken").string()}, data());
    EXPECT_EQ(r.code, 1);
    EXPECT_EQ(line_count(r.err), 1) << r.err;
    EXPECT_NE(r.err.find("not an empty directory"), std::string::npos) << r.err;
    EXPECT_EQ(read_file(path("taken") / "notes.txt"), "keep me");
    EXPECT_FALSE(fs::exists(path("taken") / "tokend.db"));
}

TEST_F(BackupRestore, BackupOfMissingDataDirFailsAndWritesNothing) {
    auto r = cli({"backup", "--to", path("backup").string()}, path("nowhere"));
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("there is no tokend.db"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(path("backup")));
    EXPECT_FALSE(fs::exists(path("nowhere")));
}

TEST_F(BackupRestore, BackupWithoutToIsAUsageError) {
    auto r = cli({"backup"}, data());
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("--to is required"), std::string::npos) << r.err;
}

TEST_F(BackupRestore, RestoreCreatesPrivateDataDirThatServes) {
    std::string token = make_backup(path("backup"));
    auto target = path("new") / "data";
    auto r = cli({"restore", "--from", path("backup").string()}, target);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(mode_of(target), 0700u);
    EXPECT_EQ(mode_of(target / "secret.key"), 0600u);
    EXPECT_EQ(mode_of(target / "tokend.db") & 0077, 0u);
    EXPECT_FALSE(fs::exists(target / ".tokend.db.restoring"));
    auto server = start(target);
    ASSERT_GT(server->port(), 0);
    EXPECT_EQ(account_status(server->port(), token), 200);
}

TEST_F(BackupRestore, RestoreRefusesDataDirOfRunningServer) {
    std::string token = make_backup(path("backup"));
    auto server = start(data());
    ASSERT_GT(server->port(), 0);
    auto before = read_file(data() / "tokend.db");
    auto r = cli({"restore", "--from", path("backup").string(), "--force"}, data());
    EXPECT_EQ(r.code, 1);
    EXPECT_EQ(line_count(r.err), 1) << r.err;
    EXPECT_NE(r.err.find("server is running"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(data() / ".tokend.db.restoring"));
    EXPECT_EQ(account_status(server->port(), token), 200);
    // Other commands still work next to the running server, backups included.
    EXPECT_EQ(cli({"backup", "--to", path("second").string()}, data()).code, 0);
    EXPECT_EQ(cli({"token", "create", "--email", "ops@example.com"}, data()).code, 0);
}

TEST_F(BackupRestore, ServeRefusesToStartWhileRestoreHoldsTheDataDir) {
    fs::create_directories(data());
    int fd = ::open((data() / "tokend.lock").c_str(), O_RDWR | O_CREAT, 0600);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::flock(fd, LOCK_EX), 0); // what a running restore holds
    auto r = run_cli({{"serve", "--listen", "127.0.0.1:0", "--data-dir", data().string()},
                      {},
                      "",
                      m_dir.path()});
    ::close(fd);
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("a restore into"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(data() / "tokend.db"));
}

TEST_F(BackupRestore, RestoreRefusesDatabaseThatDoesNotMatchManifest) {
    make_backup(path("backup"));
    {
        std::fstream db(path("backup") / "tokend.db",
                        std::ios::in | std::ios::out | std::ios::binary);
        db.seekp(200);
        db.put('\x5a');
    }
    expect_refused(path("backup"), path("target"), "does not match the manifest's digest");
}

TEST_F(BackupRestore, RestoreRefusesDatabaseThatFailsIntegrityCheck) {
    make_backup(path("backup"));
    {
        // Page 2 onwards: b-tree pages of the tables, zeroed as a torn write would leave them.
        std::fstream db(path("backup") / "tokend.db",
                        std::ios::in | std::ios::out | std::ios::binary);
        db.seekp(4096);
        db << std::string(8192, '\0');
    }
    refresh_digest(path("backup"));
    auto message = expect_refused(path("backup"), path("target"), "tokend.db");
    EXPECT_TRUE(message.find("integrity_check") != std::string::npos ||
                message.find("cannot be read as a database") != std::string::npos)
        << message;
}

TEST_F(BackupRestore, RestoreRefusesKeyFromAnotherBackup) {
    make_backup(path("backup"));
    std::ofstream(path("backup") / "secret.key", std::ios::binary | std::ios::trunc)
        << std::string(32, 'k');
    expect_refused(path("backup"), path("target"), "not the key this backup was made with");
}

TEST_F(BackupRestore, RestoreRefusesSchemaNewerThanThisBinary) {
    make_backup(path("backup"));
    {
        SQLite::Database db((path("backup") / "tokend.db").string(), SQLite::OPEN_READWRITE);
        db.exec("PRAGMA user_version = 99");
    }
    refresh_digest(path("backup"));
    set_manifest_line(path("backup"), "schema-version", "99");
    expect_refused(path("backup"), path("target"), "schema version 99");
}

TEST_F(BackupRestore, RestoreRefusesDirectoryWithoutManifest) {
    fs::create_directory(path("random"));
    expect_refused(path("random"), path("target"), "not a tokend backup");
}

TEST_F(BackupRestore, RestoreOverExistingDataNeedsForceAndThenReplacesIt) {
    std::string backed_up = make_backup(path("backup"));
    auto later = cli({"token", "create", "--email", "ops@example.com"}, data());
    ASSERT_EQ(later.code, 0);
    auto refused = cli({"restore", "--from", path("backup").string()}, data());
    EXPECT_EQ(refused.code, 1);
    EXPECT_NE(refused.err.find("--force"), std::string::npos) << refused.err;

    auto forced = cli({"restore", "--from", path("backup").string(), "--force"}, data());
    ASSERT_EQ(forced.code, 0) << forced.err;
    EXPECT_FALSE(fs::exists(data() / "tokend.db-wal"));
    auto server = start(data());
    ASSERT_GT(server->port(), 0);
    EXPECT_EQ(account_status(server->port(), backed_up), 200);
    EXPECT_EQ(account_status(server->port(), later.out.substr(0, 40)), 401);
}

TEST_F(BackupRestore, TwoServersShareTheDataDirLockAndBothBlockRestore) {
    std::string token = make_backup(path("backup"));
    auto first = start(data());
    auto second = start(data()); // the lock is shared: a second server starts as before
    ASSERT_GT(first->port(), 0);
    ASSERT_GT(second->port(), 0);
    EXPECT_EQ(account_status(second->port(), token), 200);
    EXPECT_EQ(first->stop(SIGTERM), 0);
    auto r = cli({"restore", "--from", path("backup").string(), "--force"}, data());
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("server is running"), std::string::npos) << r.err;
    EXPECT_EQ(second->stop(SIGTERM), 0);
    EXPECT_EQ(cli({"restore", "--from", path("backup").string(), "--force"}, data()).code, 0);
}
