// The admin page's command-line side (SPEC §7): `account set-password` from standard input, and
// the first-run setup code that `serve` logs only while no account exists.
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "process_helpers.hpp"
#include "support/temp_dir.hpp"

using namespace tokend::test;

namespace {

class AdminSetup : public ::testing::Test {
protected:
    Result run(std::vector<std::string> args, const std::string& stdin_text = "") {
        args.push_back("--data-dir");
        args.push_back((m_dir.path() / "data").string());
        return run_cli({std::move(args), {}, stdin_text, m_dir.path()});
    }
    ServerProcess serve() {
        return ServerProcess(
            {{"serve", "--listen", "127.0.0.1:0", "--data-dir", (m_dir.path() / "data").string()},
             {},
             "",
             m_dir.path()},
            m_dir.path() / "serve.log");
    }
    static int sign_in(int port, const std::string& email, const std::string& password) {
        httplib::Client client("127.0.0.1", port);
        nlohmann::json body = {{"email", email}, {"password", password}};
        auto reply = client.Post("/api/v1/session", body.dump(), "application/json");
        return reply ? reply->status : -1;
    }

    TempDir m_dir;
};

TEST_F(AdminSetup, SetPasswordReadsStdinAndEnablesSignIn) {
    ASSERT_EQ(run({"account", "create", "--email", "ops@example.com"}).code, 0);
    auto set = run({"account", "set-password", "--email", "ops@example.com", "--password-stdin"},
                   "a long passphrase\n");
    EXPECT_EQ(set.code, 0) << set.err;
    EXPECT_EQ(set.out, "");
    auto server = serve();
    EXPECT_EQ(sign_in(server.port(), "ops@example.com", "a long passphrase"), 200);
    EXPECT_EQ(server.log().find("a long passphrase"), std::string::npos);
}

TEST_F(AdminSetup, SetPasswordWithoutStdinFlagIsUsageError) {
    ASSERT_EQ(run({"account", "create", "--email", "ops@example.com"}).code, 0);
    auto set =
        run({"account", "set-password", "--email", "ops@example.com"}, "a long passphrase\n");
    EXPECT_EQ(set.code, 2);
}

TEST_F(AdminSetup, SetPasswordRejectsShortPasswords) {
    ASSERT_EQ(run({"account", "create", "--email", "ops@example.com"}).code, 0);
    auto set = run({"account", "set-password", "--email", "ops@example.com", "--password-stdin"},
                   "short\n");
    EXPECT_EQ(set.code, 2) << set.err;
}

TEST_F(AdminSetup, ServeLogsASetupCodeOnlyWhileNoAccountExists) {
    {
        auto server = serve();
        EXPECT_NE(server.log().find("first-run setup code: "), std::string::npos) << server.log();
        EXPECT_EQ(server.stop(SIGTERM), 0);
    }
    ASSERT_EQ(run({"account", "create", "--email", "ops@example.com"}).code, 0);
    auto server = serve();
    EXPECT_EQ(server.log().find("setup code"), std::string::npos) << server.log();
}

} // namespace
