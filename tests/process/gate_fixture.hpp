// The fixture of the proxy gate tests (nginx, Caddy): a data dir with alice, two of her websites
// and an admin token, a real `tokend serve` on port 0, and helpers to make and revoke tokens.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "process_helpers.hpp"
#include "support/temp_dir.hpp"

namespace tokend::test {

class GateFixture : public ::testing::Test {
protected:
    // Makes the data and starts tokend; the derived SetUp starts its proxy afterwards.
    void start_tokend() {
        m_account = cli({"account", "create", "--email", "alice@example.com"});
        m_site = cli({"website", "create", "--owner", "alice@example.com", "--domain", "a.com"});
        m_other_site =
            cli({"website", "create", "--owner", "alice@example.com", "--domain", "b.com"});
        m_admin = cli({"token", "create", "--email", "alice@example.com"});
        m_server = std::make_unique<ServerProcess>(
            Launch{{"serve", "--listen", "127.0.0.1:0", "--data-dir", data_dir(), "--trusted-proxy",
                    "127.0.0.1/32"},
                   {},
                   "",
                   m_dir.path()},
            m_dir.path() / "tokend.log");
    }

    std::string data_dir() const { return (m_dir.path() / "data").string(); }

    // Runs a CLI command on the test's data dir and returns its stdout's one line.
    std::string cli(std::vector<std::string> args) {
        args.insert(args.end(), {"--data-dir", data_dir()});
        auto result = run_cli({args, {}, "", m_dir.path()});
        EXPECT_EQ(result.code, 0) << result.err;
        return result.out.substr(0, result.out.find('\n'));
    }

    std::string token(const std::string& permissions, const std::string& websites = "") {
        std::vector<std::string> args = {
            "token", "create", "--email", "alice@example.com", "--permissions", permissions};
        if (!websites.empty()) {
            args.insert(args.end(), {"--websites", websites});
        }
        return cli(args);
    }

    // Revokes the newest token of alice's (the last one `token()` made) through the API and
    // returns the DELETE's status.
    int revoke_newest_token() {
        httplib::Client tokend("127.0.0.1", m_server->port());
        auto listed =
            tokend.Get("/api/v1/admin/access-tokens", {{"Authorization", "Bearer " + m_admin}});
        if (!listed || listed->status != 200) {
            return -1;
        }
        auto id = nlohmann::json::parse(listed->body)["data"][0]["_id"].get<std::string>();
        auto revoked = tokend.Delete("/api/v1/admin/access-tokens/" + id,
                                     {{"Authorization", "Bearer " + m_admin}});
        return revoked ? revoked->status : -1;
    }

    TempDir m_dir;
    std::string m_account, m_site, m_other_site, m_admin;
    std::unique_ptr<ServerProcess> m_server;
};

} // namespace tokend::test
