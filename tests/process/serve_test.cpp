// `tokend serve` as a process: the listening line, CLI changes honoured at once by a running
// server, graceful stop on SIGTERM/SIGINT, SIGHUP that does not stop it, and durability of
// creates and revokes across SIGKILL, with a scan of the data dir and the log for raw tokens.
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "process_helpers.hpp"
#include "support/temp_dir.hpp"

using namespace tokend::test;
using nlohmann::json;

namespace {
const std::string kTokensPath = "/api/v1/admin/access-tokens";

class Serve : public ::testing::Test {
protected:
    Result cli(std::vector<std::string> args) {
        args.push_back("--data-dir");
        args.push_back(data_dir().string());
        return run_cli({std::move(args), {}, "", m_dir.path()});
    }
    std::unique_ptr<ServerProcess> start(std::vector<std::string> extra = {}) {
        std::vector<std::string> args = {"serve",      "--listen",          "127.0.0.1:0",
                                         "--data-dir", data_dir().string(), "--log-level",
                                         "debug"};
        args.insert(args.end(), extra.begin(), extra.end());
        auto log = m_dir.path() / ("serve-" + std::to_string(++m_starts) + ".log");
        m_logs.push_back(log);
        return std::make_unique<ServerProcess>(Launch{args, {}, "", m_dir.path()}, log);
    }
    // Bootstraps alice and returns a raw `*` token made by the CLI.
    std::string bootstrap() {
        EXPECT_EQ(cli({"account", "create", "--email", "alice@example.com"}).code, 0);
        auto r = cli({"token", "create", "--email", "alice@example.com"});
        EXPECT_EQ(r.code, 0) << r.err;
        return r.out.substr(0, 40);
    }
    // The status of GET /account (analytics:read, which every token made here holds).
    static int status_with(int port, const std::string& token) {
        httplib::Client client("127.0.0.1", port);
        auto result = client.Get("/api/v1/admin/account", {{"Authorization", "Bearer " + token}});
        return result ? result->status : -1;
    }
    std::filesystem::path data_dir() const { return m_dir.path() / "data"; }

    TempDir m_dir;
    int m_starts = 0;
    std::vector<std::filesystem::path> m_logs;
};

json post_token(int port, const std::string& caller) {
    httplib::Client client("127.0.0.1", port);
    auto result = client.Post(kTokensPath.c_str(), {{"Authorization", "Bearer " + caller}},
                              R"({"permissions":["analytics:read"]})", "application/json");
    EXPECT_TRUE(result);
    if (!result) {
        return json::object();
    }
    EXPECT_EQ(result->status, 200) << result->body;
    return json::parse(result->body)["data"][0];
}

int delete_token(int port, const std::string& caller, const std::string& id) {
    httplib::Client client("127.0.0.1", port);
    auto result =
        client.Delete((kTokensPath + "/" + id).c_str(), {{"Authorization", "Bearer " + caller}});
    return result ? result->status : -1;
}
} // namespace

TEST_F(Serve, LogsTheRealPortAndAnswersHealthz) {
    auto server = start();
    ASSERT_GT(server->port(), 0);
    httplib::Client client("127.0.0.1", server->port());
    auto result = client.Get("/healthz");
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 200);
}

// libpq and the libraries it pulls in (about 3.5 MB resident) are loaded only for a PostgreSQL
// database (src/store/postgres/libpq.cpp).
TEST_F(Serve, MapsLibpqOnlyOnPostgres) {
    auto server = start();
    ASSERT_GT(server->port(), 0);
    httplib::Client client("127.0.0.1", server->port());
    auto result = client.Get("/healthz");
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 200);
    std::string maps = read_file("/proc/" + std::to_string(server->pid()) + "/maps");
    ASSERT_NE(maps.find("libsqlite3"), std::string::npos) << "not a tokend process map";
    EXPECT_EQ(maps.find("libpq.so") != std::string::npos, on_postgres());
}

TEST_F(Serve, ListenAddressFromVariable) {
    auto log = m_dir.path() / "env.log";
    ServerProcess server(Launch{{"serve", "--data-dir", data_dir().string()},
                                {{"TOKEND_LISTEN", "127.0.0.1:0"}},
                                "",
                                m_dir.path()},
                         log);
    EXPECT_GT(server.port(), 0);
}

TEST_F(Serve, CliCreatedTokenWorksAtOnce) {
    auto server = start();
    std::string token = bootstrap(); // made while the server runs
    EXPECT_EQ(status_with(server->port(), token), 200);
}

TEST_F(Serve, CliRevokeIsRefusedAtOnce) {
    std::string admin = bootstrap();
    auto server = start();
    json made = post_token(server->port(), admin);
    std::string key = made["key"];
    EXPECT_EQ(status_with(server->port(), admin), 200);
    auto r = cli({"token", "revoke", "--id", made["_id"].get<std::string>()});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, "");
    httplib::Client client("127.0.0.1", server->port());
    auto result = client.Get("/api/v1/admin/account", {{"Authorization", "Bearer " + key}});
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 401);
}

TEST_F(Serve, SigtermExitsZero) {
    auto server = start();
    EXPECT_EQ(server->stop(SIGTERM), 0) << server->log();
}

TEST_F(Serve, SigintExitsZero) {
    auto server = start();
    EXPECT_EQ(server->stop(SIGINT), 0) << server->log();
}

TEST_F(Serve, SighupKeepsServingAndSigtermStillExitsZero) {
    std::string admin = bootstrap();
    auto server = start();
    server->send(SIGHUP);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (server->log().find("SIGHUP") == std::string::npos &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_NE(server->log().find("SIGHUP: nothing to reload"), std::string::npos) << server->log();
    EXPECT_EQ(status_with(server->port(), admin), 200);
    EXPECT_EQ(server->stop(SIGTERM), 0) << server->log();
}

TEST_F(Serve, SigtermAfterRequestsExitsZeroAndKeepsData) {
    std::string admin = bootstrap();
    auto server = start();
    std::string key = post_token(server->port(), admin)["key"];
    EXPECT_EQ(server->stop(SIGTERM), 0);
    auto again = start();
    EXPECT_EQ(status_with(again->port(), key), 200);
}

TEST_F(Serve, CreatesAndRevokesSurviveSigkillAndNoRawTokenIsStoredOrLogged) {
    std::string admin = bootstrap();
    auto server = start();
    std::vector<std::string> kept;
    std::vector<std::string> revoked;
    for (int i = 0; i < 8; ++i) {
        json made = post_token(server->port(), admin);
        std::string key = made["key"];
        if (i % 2 == 0) {
            ASSERT_EQ(delete_token(server->port(), admin, made["_id"]), 200);
            revoked.push_back(key);
        } else {
            kept.push_back(key);
        }
    }
    // A rejected credential and a token pasted as a path id must not reach the log either.
    std::string pasted = kept[0];
    EXPECT_EQ(delete_token(server->port(), admin, pasted), 400);
    EXPECT_EQ(status_with(server->port(), revoked[0]), 401);

    EXPECT_EQ(server->stop(SIGKILL), 128 + SIGKILL);

    // Scan before the restart, while the WAL still holds the unchecked-pointed writes.
    std::vector<std::string> all = kept;
    all.insert(all.end(), revoked.begin(), revoked.end());
    all.push_back(admin);
    std::vector<std::filesystem::path> scanned;
    if (on_postgres()) {
        dump_rows(m_dir.path() / "rows.txt");
        EXPECT_NE(read_file(m_dir.path() / "rows.txt").find("analytics"), std::string::npos);
        scanned.push_back(m_dir.path() / "rows.txt");
    } else {
        for (const auto& entry : std::filesystem::directory_iterator(data_dir())) {
            scanned.push_back(entry.path());
        }
    }
    scanned.insert(scanned.end(), m_logs.begin(), m_logs.end());
    for (const auto& path : scanned) {
        std::string bytes = read_file(path);
        for (const auto& token : all) {
            EXPECT_EQ(bytes.find(token.substr(4)), std::string::npos)
                << "raw token found in " << path;
        }
    }

    auto again = start();
    for (const auto& key : kept) {
        EXPECT_EQ(status_with(again->port(), key), 200);
    }
    for (const auto& key : revoked) {
        EXPECT_EQ(status_with(again->port(), key), 401);
    }
    EXPECT_EQ(status_with(again->port(), admin), 200);
}
