// The tokend command line (SPEC §1) as a user runs it: what each command prints, exit codes,
// passwords from stdin only, environment variables, and the data dir's file modes.
#include <httplib.h>
#include <sys/stat.h>

#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "process_helpers.hpp"
#include "support/temp_dir.hpp"

using namespace tokend::test;

namespace {
const std::regex kToken("^dft_[0-9A-Za-z]{36}\n$");
const std::regex kId("^[0-9a-f]{24}\n$");

class Cli : public ::testing::Test {
protected:
    // Runs `args` with --data-dir pointing at this test's data dir.
    Result run(std::vector<std::string> args, const std::string& stdin_text = "",
               std::map<std::string, std::string> env = {}) {
        args.push_back("--data-dir");
        args.push_back(data_dir().string());
        return run_bare(std::move(args), stdin_text, std::move(env));
    }
    // Runs `args` exactly as given (no --data-dir added), in the temp dir.
    Result run_bare(std::vector<std::string> args, const std::string& stdin_text = "",
                    std::map<std::string, std::string> env = {}) {
        return run_cli({std::move(args), std::move(env), stdin_text, m_dir.path()});
    }
    std::filesystem::path data_dir() const { return m_dir.path() / "data-dir"; }
    std::string make_account(const std::string& email = "alice@example.com") {
        auto r = run({"account", "create", "--email", email});
        EXPECT_EQ(r.code, 0) << r.err;
        return r.out.substr(0, 24);
    }
    static void expect_one_line_reason(const Result& r) {
        EXPECT_EQ(line_count(r.err), 1) << r.err;
        EXPECT_GT(r.err.size(), 1u);
        EXPECT_EQ(r.out, "");
    }

    TempDir m_dir;
};

mode_t mode_of(const std::filesystem::path& path) {
    struct stat info {};
    EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
    return info.st_mode & 0777;
}
} // namespace

TEST_F(Cli, AccountCreatePrintsOnlyTheId) {
    auto r = run({"account", "create", "--email", "alice@example.com", "--name", "Alice"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(std::regex_match(r.out, kId)) << r.out;
}

TEST_F(Cli, WebsiteCreatePrintsOnlyTheId) {
    make_account();
    auto r = run({"website", "create", "--owner", "alice@example.com", "--domain", "example.com",
                  "--name", "Shop", "--timezone", "Europe/Paris"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(std::regex_match(r.out, kId)) << r.out;
}

TEST_F(Cli, TokenCreatePrintsOnlyTheRawToken) {
    make_account();
    auto r = run({"token", "create", "--email", "alice@example.com", "--name", "bootstrap"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(std::regex_match(r.out, kToken)) << r.out;
}

TEST_F(Cli, TokenCreateNeverLogsTheToken) {
    make_account();
    auto r = run({"token", "create", "--email", "alice@example.com", "--log-level", "trace"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.err.find(r.out.substr(0, 40)), std::string::npos) << r.err;
}

TEST_F(Cli, TokenCreateWithPermissionsAndWebsites) {
    make_account();
    auto site = run({"website", "create", "--owner", "alice@example.com", "--domain", "a.example"});
    ASSERT_EQ(site.code, 0) << site.err;
    auto r = run({"token", "create", "--email", "alice@example.com", "--permissions",
                  "analytics:read,goals:read", "--websites", site.out.substr(0, 24)});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(std::regex_match(r.out, kToken)) << r.out;
}

TEST_F(Cli, TokenCreateWithUnknownPermissionIsUsageError) {
    make_account();
    auto r = run({"token", "create", "--email", "alice@example.com", "--permissions", "root"});
    EXPECT_EQ(r.code, 2);
    expect_one_line_reason(r);
}

TEST_F(Cli, TokenCreateForUnknownEmailFails) {
    make_account();
    auto r = run({"token", "create", "--email", "nobody@example.com"});
    EXPECT_EQ(r.code, 1);
    expect_one_line_reason(r);
}

TEST_F(Cli, TokenRevokeOfUnknownIdFails) {
    make_account();
    auto r = run({"token", "revoke", "--id", "0123456789abcdef01234567"});
    EXPECT_EQ(r.code, 1);
    expect_one_line_reason(r);
}

TEST_F(Cli, DuplicateAccountFailsWithExitOne) {
    make_account();
    auto r = run({"account", "create", "--email", "ALICE@example.com"});
    EXPECT_EQ(r.code, 1);
    expect_one_line_reason(r);
}

TEST_F(Cli, UnknownCommandIsUsageError) {
    auto r = run_bare({"frobnicate"});
    EXPECT_EQ(r.code, 2);
    expect_one_line_reason(r);
}

TEST_F(Cli, NoCommandIsUsageError) {
    auto r = run_bare({});
    EXPECT_EQ(r.code, 2);
    EXPECT_GE(line_count(r.err), 1) << "a reason belongs on stderr";
}

TEST_F(Cli, UnknownFlagIsUsageError) {
    auto r = run({"account", "create", "--email", "a@example.com", "--colour", "blue"});
    EXPECT_EQ(r.code, 2);
    expect_one_line_reason(r);
}

TEST_F(Cli, MissingRequiredFlagIsUsageError) {
    auto r = run({"account", "create"});
    EXPECT_EQ(r.code, 2);
    expect_one_line_reason(r);
}

TEST_F(Cli, InvalidEmailIsUsageError) {
    auto r = run({"account", "create", "--email", "not-an-email"});
    EXPECT_EQ(r.code, 2);
    expect_one_line_reason(r);
}

TEST_F(Cli, BadListenAddressIsUsageError) {
    auto r = run({"serve", "--listen", "nonsense"});
    EXPECT_EQ(r.code, 2);
    expect_one_line_reason(r);
}

TEST_F(Cli, PasswordFlagDoesNotExist) {
    auto r = run({"account", "create", "--email", "a@example.com", "--password", "hunter22hunter"});
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.err.find("hunter22hunter"), std::string::npos) << r.err;
}

TEST_F(Cli, PasswordFromStdinIsAccepted) {
    auto r = run({"account", "create", "--email", "a@example.com", "--password-stdin"},
                 "correct horse battery\n");
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(std::regex_match(r.out, kId)) << r.out;
}

TEST_F(Cli, ShortPasswordFromStdinFails) {
    auto r =
        run({"account", "create", "--email", "a@example.com", "--password-stdin"}, "Zq7!xk2\n");
    EXPECT_NE(r.code, 0);
    expect_one_line_reason(r);
    EXPECT_EQ(r.err.find("Zq7!xk2"), std::string::npos) << r.err;
    EXPECT_EQ(run({"token", "create", "--email", "a@example.com"}).code, 1) << "no account made";
}

TEST_F(Cli, HelpExitsZero) {
    auto r = run_bare({"--help"});
    EXPECT_EQ(r.code, 0);
    EXPECT_NE(r.out.find("token create"), std::string::npos) << r.out;
}

TEST_F(Cli, VersionExitsZero) {
    auto r = run_bare({"--version"});
    EXPECT_EQ(r.code, 0);
    EXPECT_TRUE(std::regex_match(r.out, std::regex("^tokend \\d+\\.\\d+\\.\\d+\n$"))) << r.out;
}

TEST_F(Cli, DataDirVariableIsUsed) {
    auto dir = m_dir.path() / "from-env";
    auto r = run_bare({"account", "create", "--email", "a@example.com"}, "",
                      {{"TOKEND_DATA_DIR", dir.string()}});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(std::filesystem::exists(dir / "tokend.db"));
}

TEST_F(Cli, DataDirFlagBeatsVariable) {
    auto env_dir = m_dir.path() / "from-env";
    auto flag_dir = m_dir.path() / "from-flag";
    auto r =
        run_bare({"account", "create", "--email", "a@example.com", "--data-dir", flag_dir.string()},
                 "", {{"TOKEND_DATA_DIR", env_dir.string()}});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(std::filesystem::exists(flag_dir / "tokend.db"));
    EXPECT_FALSE(std::filesystem::exists(env_dir));
}

TEST_F(Cli, DataDirDefaultsToDotData) {
    auto r = run_bare({"account", "create", "--email", "a@example.com"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(std::filesystem::exists(m_dir.path() / "data" / "tokend.db"));
}

TEST_F(Cli, EveryFlagHasAVariable) {
    auto r = run({"account", "create"}, "",
                 {{"TOKEND_EMAIL", "env@example.com"}, {"TOKEND_NAME", "From Env"}});
    EXPECT_EQ(r.code, 0) << r.err;
    auto token = run({"token", "create"}, "", {{"TOKEND_EMAIL", "env@example.com"}});
    EXPECT_EQ(token.code, 0) << token.err;
    EXPECT_TRUE(std::regex_match(token.out, kToken)) << token.out;
}

TEST_F(Cli, DataDirIsPrivate) {
    make_account();
    EXPECT_EQ(mode_of(data_dir()), 0700u);
    EXPECT_EQ(mode_of(data_dir() / "secret.key"), 0600u);
    EXPECT_EQ(std::filesystem::file_size(data_dir() / "secret.key"), 32u);
    EXPECT_EQ(mode_of(data_dir() / "tokend.db") & 0077, 0u);
}

TEST_F(Cli, TokenCreateWithAllowedIpsAndRateLimitStoresAndEnforcesBoth) {
    make_account();
    auto here = run({"token", "create", "--email", "alice@example.com", "--allowed-ips",
                     "127.0.0.1, ::1,127.0.0.1", "--rate-limit", "2/3600"});
    ASSERT_EQ(here.code, 0) << here.err;
    auto elsewhere =
        run({"token", "create", "--email", "alice@example.com", "--allowed-ips", "192.0.2.0/24"});
    ASSERT_EQ(elsewhere.code, 0) << elsewhere.err;
    ServerProcess server({{"serve", "--listen", "127.0.0.1:0", "--data-dir", data_dir().string()},
                          {},
                          "",
                          m_dir.path()},
                         m_dir.path() / "serve.log");
    ASSERT_GT(server.port(), 0);
    httplib::Client client("127.0.0.1", server.port());
    auto bearer = [](const std::string& line) {
        return httplib::Headers{{"Authorization", "Bearer " + line.substr(0, line.size() - 1)}};
    };
    auto self = client.Get("/api/v1/admin/access-tokens/self", bearer(here.out));
    ASSERT_TRUE(self);
    EXPECT_EQ(self->status, 200) << self->body;
    auto token = nlohmann::json::parse(self->body)["data"][0];
    EXPECT_EQ(token["allowedIps"], (nlohmann::json{"127.0.0.1/32", "::1/128"}));
    EXPECT_EQ(token["rateLimit"], (nlohmann::json{{"limit", 2}, {"windowSeconds", 3600}}));
    EXPECT_EQ(self->get_header_value("RateLimit-Policy"), "\"token\";q=2;w=3600");
    EXPECT_EQ(client.Get("/api/v1/admin/access-tokens/self", bearer(here.out))->status, 200);
    EXPECT_EQ(client.Get("/api/v1/admin/access-tokens/self", bearer(here.out))->status, 429);
    EXPECT_EQ(client.Get("/api/v1/admin/access-tokens/self", bearer(elsewhere.out))->status, 403);
    EXPECT_EQ(server.stop(SIGTERM), 0);
}

TEST_F(Cli, TokenCreateWithBadAllowedIpsOrRateLimitIsUsageError) {
    make_account();
    for (std::vector<std::string> flags : {std::vector<std::string>{"--allowed-ips", "10.0.0.0/33"},
                                           {"--allowed-ips", "example.com"},
                                           {"--rate-limit", "600"},
                                           {"--rate-limit", "0/60"},
                                           {"--rate-limit", "1000001/60"},
                                           {"--rate-limit", "600/86401"},
                                           {"--rate-limit", "-5/60"},
                                           {"--rate-limit", "600/60s"}}) {
        std::vector<std::string> args = {"token", "create", "--email", "alice@example.com"};
        args.insert(args.end(), flags.begin(), flags.end());
        auto r = run(args);
        EXPECT_EQ(r.code, 2) << flags[1];
        expect_one_line_reason(r);
    }
}

TEST_F(Cli, AuditListShowsCommandLineChangesAsJsonLines) {
    make_account();
    auto token = run({"token", "create", "--email", "alice@example.com"});
    ASSERT_EQ(token.code, 0) << token.err;
    auto r = run({"audit", "list", "--format", "jsonl"});
    ASSERT_EQ(r.code, 0) << r.err;
    ASSERT_EQ(line_count(r.out), 2) << r.out; // oldest first: the account, then the token
    std::istringstream lines(r.out);
    std::vector<std::string> names;
    for (std::string line; std::getline(lines, line);) {
        auto event = nlohmann::json::parse(line);
        names.push_back(event["event"]);
        EXPECT_EQ(event["actor"]["type"], "cli") << line;
    }
    EXPECT_EQ(names, (std::vector<std::string>{"account.created", "token.created"}));
    EXPECT_EQ(r.out.find(token.out.substr(0, 40)), std::string::npos); // never the raw token
}

TEST_F(Cli, AuditListSinceTheFutureIsEmpty) {
    make_account();
    ASSERT_EQ(run({"token", "create", "--email", "alice@example.com"}).code, 0);
    auto r = run({"audit", "list", "--since", "2199-01-01T00:00:00Z"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, "");
}

TEST_F(Cli, AuditListWithBadFormatIsUsageError) {
    auto r = run({"audit", "list", "--format", "xml"});
    EXPECT_EQ(r.code, 2);
    expect_one_line_reason(r);
}

// SPEC §15: a database that cannot be reached at start is one clear line and exit code 1; a
// missing shared key is a usage error before anything is opened.
TEST_F(Cli, AnUnreachableDatabaseIsOneLineAndExitCodeOne) {
    {
        std::ofstream key(m_dir.path() / "shared.key", std::ios::binary);
        key << std::string(32, 'k');
    }
    auto r = run_bare({"account", "create", "--email", "a@example.com", "--database",
                       "postgresql://tokend@/postgres?host=/nonexistent-tokend-dir",
                       "--secret-key-file", (m_dir.path() / "shared.key").string()});
    EXPECT_EQ(r.code, 1);
    EXPECT_EQ(line_count(r.err), 1) << r.err;
    EXPECT_NE(r.err.find("cannot connect to PostgreSQL"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty());

    // libpq's own complaint about a URL it cannot read quotes the broken piece, here the
    // password: the line says what is wrong without it, in either conninfo form.
    for (const char* url : {"postgresql://tokend:s3cret%zz@localhost/postgres",
                            "postgresql://tokend:x\"s3cret%zz\"@localhost/postgres",
                            "host=localhost password=x s3cret"}) {
        auto malformed =
            run_bare({"account", "create", "--email", "a@example.com", "--database", url,
                      "--secret-key-file", (m_dir.path() / "shared.key").string()});
        EXPECT_EQ(malformed.code, 1) << url;
        EXPECT_EQ(line_count(malformed.err), 1) << malformed.err;
        EXPECT_NE(malformed.err.find("malformed"), std::string::npos) << malformed.err;
        EXPECT_EQ(malformed.err.find("s3cret"), std::string::npos) << malformed.err;
    }

    // (An empty variable overrides the PostgreSQL run's shared key.)
    auto no_key = run_bare({"serve", "--database", "postgresql://tokend@/postgres"}, "",
                           {{"TOKEND_SECRET_KEY_FILE", ""}});
    EXPECT_EQ(no_key.code, 2);
    EXPECT_NE(no_key.err.find("--secret-key-file"), std::string::npos) << no_key.err;
}
