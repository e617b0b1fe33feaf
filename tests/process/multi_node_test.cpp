// More than one node (SPEC §15): two real `tokend serve` processes on one PostgreSQL database,
// a throwaway cluster of this test's own (scripts/pg-test-cluster.sh), so stopping it hurts no
// other test. A token made on one node works on the other at once; a revoke on either node or
// by the CLI is refused by both at their next request; the 20-token limit holds under
// concurrent creates on both; with PostgreSQL down both answer 503 and recover without a restart.
#include <httplib.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "process_helpers.hpp"
#include "support/temp_dir.hpp"

using namespace tokend::test;
using nlohmann::json;

namespace {
const std::string kTokens = "/api/v1/admin/access-tokens";

httplib::Headers bearer(const std::string& token) {
    return {{"Authorization", "Bearer " + token}};
}

// Runs scripts/pg-test-cluster.sh; its stdout's first line (the URL for `start`).
std::string cluster(const std::string& command, const std::filesystem::path& dir,
                    const std::filesystem::path& scratch) {
    auto out = scratch / ("cluster-" + command);
    std::string line = "bash '" TOKEND_SOURCE_DIR "/scripts/pg-test-cluster.sh' " + command + " '" +
                       dir.string() + "' > '" + out.string() + "'";
    EXPECT_EQ(std::system(line.c_str()), 0) << "pg-test-cluster.sh " << command << " failed";
    std::string text = read_file(out);
    return text.substr(0, text.find('\n'));
}

class MultiNode : public ::testing::Test {
protected:
    void SetUp() override {
        // A short path: the cluster's unix socket lives in it.
        m_cluster = "/tmp/tokend-mn-" + std::to_string(::getpid());
        m_url = cluster("start", m_cluster, m_dir.path());
        ASSERT_FALSE(m_url.empty());
        {
            std::ofstream key(key_file(), std::ios::binary);
            std::random_device random;
            for (int i = 0; i < 32; ++i) {
                key.put(static_cast<char>(random() & 0xff));
            }
        }
        cli({"account", "create", "--email", "alice@example.com"});
        m_admin = cli({"token", "create", "--email", "alice@example.com"});
        m_a = start_node("a");
        m_b = start_node("b");
    }

    void TearDown() override {
        m_a.reset();
        m_b.reset();
        cluster("stop", m_cluster, m_dir.path());
    }

    std::filesystem::path key_file() const { return m_dir.path() / "shared.key"; }

    std::vector<std::string> on_database(std::vector<std::string> args) const {
        args.insert(args.end(), {"--database", m_url, "--secret-key-file", key_file().string()});
        return args;
    }

    std::string cli(const std::vector<std::string>& args) {
        auto result = run_cli({on_database(args), {}, "", m_dir.path()});
        EXPECT_EQ(result.code, 0) << result.err;
        return result.out.substr(0, result.out.find('\n'));
    }

    std::unique_ptr<ServerProcess> start_node(const std::string& name) {
        auto data = m_dir.path() / name;
        return std::make_unique<ServerProcess>(
            Launch{on_database({"serve", "--listen", "127.0.0.1:0", "--data-dir", data.string()}),
                   {},
                   "",
                   m_dir.path()},
            m_dir.path() / (name + ".log"));
    }

    static int account_status(ServerProcess& node, const std::string& token) {
        httplib::Client client("127.0.0.1", node.port());
        auto result = client.Get("/api/v1/admin/account", bearer(token));
        return result ? result->status : -1;
    }

    static int health(ServerProcess& node) {
        httplib::Client client("127.0.0.1", node.port());
        auto result = client.Get("/healthz");
        return result ? result->status : -1;
    }

    // POST a token on `node`: (status, the created token's JSON or null).
    std::pair<int, json> create_on(ServerProcess& node, const std::string& name = "t") {
        httplib::Client client("127.0.0.1", node.port());
        auto result = client.Post(kTokens.c_str(), bearer(m_admin),
                                  json{{"name", name}, {"permissions", {"analytics:read"}}}.dump(),
                                  "application/json");
        if (!result) {
            return {-1, nullptr};
        }
        auto body = json::parse(result->body, nullptr, false);
        return {result->status, result->status == 200 ? body["data"][0] : body};
    }

    json list_on(ServerProcess& node) {
        httplib::Client client("127.0.0.1", node.port());
        auto result = client.Get(kTokens.c_str(), bearer(m_admin));
        EXPECT_TRUE(result && result->status == 200);
        return result ? json::parse(result->body)["data"] : json::array();
    }

    TempDir m_dir;
    std::filesystem::path m_cluster;
    std::string m_url;
    std::string m_admin;
    std::unique_ptr<ServerProcess> m_a;
    std::unique_ptr<ServerProcess> m_b;
};
} // namespace

TEST_F(MultiNode, ATokenMadeOnOneNodeWorksOnTheOtherAndARevokeOnEitherIsRefusedByBoth) {
    auto [status, first] = create_on(*m_a);
    ASSERT_EQ(status, 200);
    EXPECT_EQ(account_status(*m_b, first["key"]), 200);

    httplib::Client b("127.0.0.1", m_b->port());
    auto revoked =
        b.Delete((kTokens + "/" + first["_id"].get<std::string>()).c_str(), bearer(m_admin));
    ASSERT_TRUE(revoked);
    EXPECT_EQ(revoked->status, 200);
    EXPECT_EQ(account_status(*m_a, first["key"]), 401);
    EXPECT_EQ(account_status(*m_b, first["key"]), 401);

    auto [status2, second] = create_on(*m_b);
    ASSERT_EQ(status2, 200);
    EXPECT_EQ(account_status(*m_a, second["key"]), 200);
    httplib::Client a("127.0.0.1", m_a->port());
    ASSERT_TRUE(
        a.Delete((kTokens + "/" + second["_id"].get<std::string>()).c_str(), bearer(m_admin)));
    EXPECT_EQ(account_status(*m_b, second["key"]), 401);
}

TEST_F(MultiNode, ATokenRevokedByTheCliIsRefusedByBothNodesAtTheirNextRequest) {
    std::string key = cli({"token", "create", "--email", "alice@example.com", "--name", "cli",
                           "--permissions", "analytics:read"});
    EXPECT_EQ(account_status(*m_a, key), 200);
    EXPECT_EQ(account_status(*m_b, key), 200);
    std::string id;
    for (const auto& token : list_on(*m_a)) {
        if (token["name"] == "cli") {
            id = token["_id"];
        }
    }
    ASSERT_FALSE(id.empty());
    cli({"token", "revoke", "--id", id});
    EXPECT_EQ(account_status(*m_a, key), 401);
    EXPECT_EQ(account_status(*m_b, key), 401);
}

TEST_F(MultiNode, TheTokenLimitHoldsAcrossNodesUnderConcurrentCreates) {
    constexpr int kPerThread = 5;
    std::atomic<int> created{0};
    std::atomic<int> refused{0};
    std::atomic<int> other{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            ServerProcess& node = t % 2 == 0 ? *m_a : *m_b;
            for (int i = 0; i < kPerThread; ++i) {
                auto [status, body] = create_on(node);
                if (status == 200) {
                    ++created;
                } else if (status == 400 &&
                           body.dump().find("Token limit reached") != std::string::npos) {
                    ++refused;
                } else {
                    ++other;
                }
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    // The admin token is the 20th.
    EXPECT_EQ(created.load(), 19);
    EXPECT_EQ(refused.load(), 8 * kPerThread - 19);
    EXPECT_EQ(other.load(), 0);
    EXPECT_EQ(list_on(*m_a).size(), 20u);
    EXPECT_EQ(list_on(*m_b).size(), 20u);
}

TEST_F(MultiNode, WithPostgresDownBothNodesAnswer503AndRecoverWhenItReturns) {
    auto [status, token] = create_on(*m_a);
    ASSERT_EQ(status, 200);
    std::string key = token["key"];
    cluster("pause", m_cluster, m_dir.path());

    for (ServerProcess* node : {m_a.get(), m_b.get()}) {
        EXPECT_EQ(health(*node), 503);
        // Never a stale "allowed", never a 401 for a token that is fine.
        EXPECT_EQ(account_status(*node, key), 503);
        EXPECT_EQ(account_status(*node, m_admin), 503);
        EXPECT_EQ(create_on(*node).first, 503);
    }

    cluster("resume", m_cluster, m_dir.path());
    for (ServerProcess* node : {m_a.get(), m_b.get()}) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (health(*node) != 200 && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        EXPECT_EQ(health(*node), 200);
        EXPECT_EQ(account_status(*node, key), 200);
        EXPECT_EQ(create_on(*node).first, 200);
    }
    EXPECT_NE(m_a->log().find("database"), std::string::npos) << m_a->log();
}
