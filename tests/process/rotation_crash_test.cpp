// SPEC §11.3 durability on the real binary: a rotation with grace 0 is one durable write, so
// after SIGKILL right after the response the new key works and the old one gets 401. Also the
// CLI's `token rotate` (only the new key on stdout) and `token create --expires-in/--expires-at`.
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "process_helpers.hpp"
#include "support/temp_dir.hpp"

using namespace tokend::test;
using nlohmann::json;

namespace {
const std::string kTokensPath = "/api/v1/admin/access-tokens";

httplib::Headers bearer(const std::string& token) {
    return {{"Authorization", "Bearer " + token}};
}

class RotationProcess : public ::testing::Test {
protected:
    RotationProcess() {
        EXPECT_EQ(cli({"account", "create", "--email", "ops@example.com"}).code, 0);
    }
    Result cli(std::vector<std::string> args) {
        args.insert(args.end(), {"--data-dir", data_dir().string()});
        return run_cli({std::move(args), {}, "", m_dir.path()});
    }
    std::unique_ptr<ServerProcess> start() {
        std::vector<std::string> args = {"serve", "--listen", "127.0.0.1:0", "--data-dir",
                                         data_dir().string()};
        auto log = m_dir.path() / ("serve-" + std::to_string(++m_starts) + ".log");
        return std::make_unique<ServerProcess>(Launch{args, {}, "", m_dir.path()}, log);
    }
    std::string new_key(std::vector<std::string> extra = {}) {
        std::vector<std::string> args = {"token", "create", "--email", "ops@example.com"};
        args.insert(args.end(), extra.begin(), extra.end());
        auto result = cli(args);
        EXPECT_EQ(result.code, 0) << result.err;
        return result.out.substr(0, result.out.find('\n'));
    }
    static json self(httplib::Client& client, const std::string& key, int* status = nullptr) {
        auto result = client.Get((kTokensPath + "/self").c_str(), bearer(key));
        if (status) {
            *status = result ? result->status : -1;
        }
        return result ? json::parse(result->body, nullptr, false) : json();
    }
    std::filesystem::path data_dir() const { return m_dir.path() / "data"; }

    TempDir m_dir;
    int m_starts = 0;
};
} // namespace

TEST_F(RotationProcess, RotationWithoutGraceSurvivesSigkill) {
    std::string old_key = new_key();
    std::string new_key_value;
    {
        auto server = start();
        ASSERT_GT(server->port(), 0);
        httplib::Client client("127.0.0.1", server->port());
        auto reply = client.Post((kTokensPath + "/self/rotate").c_str(), bearer(old_key),
                                 R"({"gracePeriodSeconds":0})", "application/json");
        ASSERT_TRUE(reply);
        ASSERT_EQ(reply->status, 200) << reply->body;
        new_key_value = json::parse(reply->body)["data"][0]["key"];
        EXPECT_EQ(server->stop(SIGKILL), 128 + SIGKILL); // at once after the response
    }
    auto restarted = start();
    ASSERT_GT(restarted->port(), 0);
    httplib::Client client("127.0.0.1", restarted->port());
    int status = 0;
    self(client, new_key_value, &status);
    EXPECT_EQ(status, 200);
    self(client, old_key, &status);
    EXPECT_EQ(status, 401);
    EXPECT_EQ(restarted->stop(SIGTERM), 0);
}

TEST_F(RotationProcess, CliRotatePrintsOnlyTheNewKeyAndHonoursTheGrace) {
    std::string old_key = new_key();
    auto server = start();
    ASSERT_GT(server->port(), 0);
    httplib::Client client("127.0.0.1", server->port());
    std::string id = self(client, old_key)["data"][0]["_id"];
    auto rotated = cli({"token", "rotate", "--id", id, "--grace", "1h"});
    ASSERT_EQ(rotated.code, 0) << rotated.err;
    EXPECT_EQ(line_count(rotated.out), 1);
    std::string key = rotated.out.substr(0, rotated.out.find('\n'));
    EXPECT_EQ(key.rfind("dft_", 0), 0u);
    EXPECT_EQ(rotated.err.find("dft_"), std::string::npos) << rotated.err;
    int status = 0;
    auto body = self(client, key, &status);
    EXPECT_EQ(status, 200);
    EXPECT_FALSE(body["data"][0]["previousKeyExpiresAt"].is_null()) << body;
    self(client, old_key, &status);
    EXPECT_EQ(status, 200); // the grace runs for an hour
    EXPECT_EQ(server->stop(SIGTERM), 0);
}

TEST_F(RotationProcess, CliRotateRefusesABadGraceAndUnknownIds) {
    EXPECT_EQ(cli({"token", "rotate", "--id", "0123456789abcdef01234567", "--grace", "8d"}).code,
              2);
    EXPECT_EQ(cli({"token", "rotate", "--id", "0123456789abcdef01234567", "--grace", "soon"}).code,
              2);
    auto unknown = cli({"token", "rotate", "--id", "0123456789abcdef01234567"});
    EXPECT_EQ(unknown.code, 1);
    EXPECT_TRUE(unknown.out.empty());
}

TEST_F(RotationProcess, CliCreateTakesAnExpiry) {
    std::string in_key = new_key({"--expires-in", "90d"});
    std::string at_key = new_key({"--expires-at", "2099-01-01T00:00:00Z"});
    auto server = start();
    ASSERT_GT(server->port(), 0);
    httplib::Client client("127.0.0.1", server->port());
    auto at = self(client, at_key)["data"][0];
    EXPECT_EQ(at["expiresAt"], "2099-01-01T00:00:00.000Z");
    auto in = self(client, in_key)["data"][0];
    ASSERT_TRUE(in["expiresAt"].is_string()) << in;
    EXPECT_EQ(in["state"], "active");
    EXPECT_EQ(cli({"token", "create", "--email", "ops@example.com", "--expires-in", "90x"}).code,
              2);
    EXPECT_EQ(cli({"token", "create", "--email", "ops@example.com", "--expires-at", "2099-01-01",
                   "--expires-in", "1d"})
                  .code,
              2);
    EXPECT_EQ(cli({"token", "create", "--email", "ops@example.com", "--expires-at",
                   "2001-01-01T00:00:00Z"})
                  .code,
              2); // in the past: the service's 400, a usage error
    EXPECT_EQ(server->stop(SIGTERM), 0);
}
