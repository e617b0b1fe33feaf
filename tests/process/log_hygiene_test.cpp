// Log hygiene (SPEC §9): an API workload against the real binary at the most verbose log level,
// with secrets pasted everywhere they do not belong; no raw token, password, session cookie or
// Authorization value may appear in any log line or in tokend.db, its -wal or -shm. Also the
// access log's shape (request id, method, path without query, status, duration) in both formats.
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "process_helpers.hpp"
#include "support/temp_dir.hpp"

using namespace tokend::test;
using nlohmann::json;

namespace {
const std::string kTokens = "/api/v1/admin/access-tokens";
const std::string kEmail = "hygiene@example.com";
const std::string kPassword = "correct horse battery staple 42";
const std::string kWrongPassword = "wrong-password-do-not-log";
const std::string kBasicCredential = "Basic aHlnaWVuZTpzZWNyZXQtYmFzaWMtdmFsdWU=";

class LogHygiene : public ::testing::Test {
protected:
    Result cli(std::vector<std::string> args, const std::string& input = "") {
        args.insert(args.end(), {"--data-dir", data_dir().string(), "--log-level", "trace"});
        auto result = run_cli({std::move(args), {}, input, m_dir.path()});
        m_cli_logs += result.err;
        return result;
    }
    std::unique_ptr<ServerProcess> start(const std::string& format) {
        std::vector<std::string> args = {"serve",      "--listen",          "127.0.0.1:0",
                                         "--data-dir", data_dir().string(), "--log-level",
                                         "trace",      "--log-format",      format};
        return std::make_unique<ServerProcess>(Launch{args, {}, "", m_dir.path()},
                                               m_dir.path() / ("serve-" + format + ".log"));
    }
    // Account with a password, and a bootstrap `*` token from the CLI.
    void bootstrap() {
        ASSERT_EQ(cli({"account", "create", "--email", kEmail, "--password-stdin"}, kPassword).code,
                  0);
        auto token = cli({"token", "create", "--email", kEmail});
        ASSERT_EQ(token.code, 0) << token.err;
        m_admin = token.out.substr(0, 40);
        remember(m_admin);
    }
    void remember(const std::string& secret) {
        if (!secret.empty()) {
            m_secrets.push_back(secret);
        }
    }
    std::filesystem::path data_dir() const { return m_dir.path() / "data"; }

    // Creates, lists, revokes, signs in and out, and pastes secrets into paths, queries, fields,
    // headers and bodies.
    void run_workload(int port);
    // Every place a secret could leak to: the server log, CLI logs and the database files.
    void expect_no_secret_in(const std::string& log);

    TempDir m_dir;
    std::string m_admin;
    std::string m_cli_logs;
    std::vector<std::string> m_secrets;
};

httplib::Headers bearer(const std::string& token) {
    return {{"Authorization", "Bearer " + token}};
}

void LogHygiene::run_workload(int port) {
    httplib::Client client("127.0.0.1", port);
    auto post = [&](const std::string& path, const httplib::Headers& headers,
                    const std::string& body) {
        auto result = client.Post(path.c_str(), headers, body, "application/json");
        return result ? *result : httplib::Response{};
    };
    client.Get("/healthz");
    client.Get(kTokens.c_str(), bearer(m_admin));
    std::vector<json> created;
    for (const char* body : {R"({"name":"ci"})", R"({"permissions":["analytics:read"]})", "{}"}) {
        auto response = post(kTokens, bearer(m_admin), body);
        ASSERT_EQ(response.status, 200) << response.body;
        created.push_back(json::parse(response.body)["data"][0]);
        remember(created.back()["key"]);
    }
    std::string key = created[0]["key"];
    // The key with its last character changed, never the key itself (whatever its last character).
    const std::string broken = key.substr(0, key.size() - 1) + (key.back() == 'x' ? "y" : "x");
    std::string revoked = created[1]["key"];
    ASSERT_EQ(
        client
            .Delete((kTokens + "/" + created[1]["_id"].get<std::string>()).c_str(), bearer(m_admin))
            ->status,
        200);
    // Secrets where they do not belong.
    post(kTokens, bearer(m_admin), R"({"name":")" + key + R"("})");
    post(kTokens, bearer(m_admin), R"({"permissions":[")" + key + R"("]})");
    post(kTokens, bearer(m_admin), R"({"websiteIds":[")" + key + R"("]})");
    post(kTokens, bearer(m_admin), R"({")" + key + R"(":1})");
    post(kTokens, bearer(m_admin), key);
    post(kTokens, bearer(m_admin), R"({"name":5,"note":")" + kPassword + R"("})");
    client.Delete((kTokens + "/" + key).c_str(), bearer(m_admin));
    client.Delete((kTokens + "?key=" + key).c_str(), bearer(m_admin));
    client.Get(("/api/v1/admin/account?token=" + key + "&password=" + kPassword).c_str(),
               bearer(m_admin));
    client.Get(("/" + key).c_str());
    client.Get(kTokens.c_str(), bearer(revoked));
    client.Get(kTokens.c_str(), bearer(broken));
    client.Get(kTokens.c_str(), {{"Authorization", kBasicCredential}});
    client.Get(kTokens.c_str(), {{"Authorization", "Token " + key}});
    client.Get(kTokens.c_str(), {{"X-Api-Key", key}});
    // Introspection (SPEC §11.10) of good, revoked and broken keys, and list parameters.
    const std::string form = "application/x-www-form-urlencoded";
    for (const std::string& body : {"token=" + key, "token=" + revoked, "token=" + key + "%zz",
                                    "token=" + key + "&token=" + revoked}) {
        client.Post("/api/v1/introspect", bearer(m_admin), body, form.c_str());
    }
    post("/api/v1/introspect", bearer(m_admin), json({{"token", key}, {key, 1}}).dump());
    client.Post(("/api/v1/introspect?token=" + key).c_str(), bearer(m_admin), "", form.c_str());
    client.Post("/api/v1/introspect", bearer(revoked), "token=" + key, form.c_str());
    client.Get((kTokens + "?limit=" + key).c_str(), bearer(m_admin));
    client.Get((kTokens + "?limit=1&cursor=" + key).c_str(), bearer(m_admin));
    client.Get((kTokens + "?state=" + key).c_str(), bearer(m_admin));
    // The admin page's session: a wrong password, a token as password and email, a real sign-in.
    post("/api/v1/session", {}, json({{"email", kEmail}, {"password", kWrongPassword}}).dump());
    post("/api/v1/session", {}, json({{"email", key}, {"password", key}}).dump());
    auto signed_in =
        post("/api/v1/session", {}, json({{"email", kEmail}, {"password", kPassword}}).dump());
    ASSERT_EQ(signed_in.status, 200) << signed_in.body;
    std::string cookie = signed_in.get_header_value("Set-Cookie");
    cookie = cookie.substr(0, cookie.find(';'));
    remember(cookie.substr(cookie.find('=') + 1));
    auto with_cookie = client.Get(kTokens.c_str(), {{"Cookie", cookie}});
    ASSERT_TRUE(with_cookie);
    EXPECT_EQ(with_cookie->status, 200);
    client.Get(("/api/v1/session?cookie=" + cookie).c_str(), {{"Cookie", cookie}});
    client.Delete("/api/v1/session",
                  {{"Cookie", cookie}, {"Origin", "http://127.0.0.1:" + std::to_string(port)}});
    // Usage policies and leak reports (SPEC §11.6–§11.8): secrets in the new fields, a real
    // report (which logs a WARN line about the token it revokes), and reports of bad shapes.
    post(kTokens, bearer(m_admin), R"({"allowedIps":[")" + key + R"("]})");
    post(kTokens, bearer(m_admin), R"({"rateLimit":{")" + key + R"(":1}})");
    post(kTokens,
         {{"X-Forwarded-For", key}, {"X-Real-IP", key}, {"Authorization", "Bearer " + key}}, "{}");
    std::string reported = created[2]["key"];
    auto report = post("/api/v1/credentials/revoke", bearer(key),
                       json({{"credentials", {reported, broken}}}).dump());
    EXPECT_EQ(report.status, 202) << report.body;
    post("/api/v1/credentials/revoke", {}, json({{"credentials", reported}}).dump());
    post("/api/v1/credentials/revoke", {}, json({{"credentials", {reported}}, {key, 1}}).dump());
    EXPECT_EQ(client.Get(kTokens.c_str(), bearer(reported))->status, 401);
    // The audit log (SPEC §12): every change above wrote an event into tokend.db; secrets in its
    // filters, a refused address (token.ip_denied) and a rotation add more.
    const std::string events = "/api/v1/admin/audit-events";
    EXPECT_EQ(client.Get(events.c_str(), bearer(m_admin))->status, 200);
    for (const std::string& query : {"?event=" + key, "?tokenId=" + key, "?outcome=" + key,
                                     "?since=" + key, "?cursor=" + key, "?limit=" + key}) {
        EXPECT_EQ(client.Get((events + query).c_str(), bearer(m_admin))->status, 400);
    }
    auto fenced = post(kTokens, bearer(m_admin), R"({"allowedIps":["203.0.113.0/24"]})");
    ASSERT_EQ(fenced.status, 200) << fenced.body;
    std::string fenced_key = json::parse(fenced.body)["data"][0]["key"];
    remember(fenced_key);
    EXPECT_EQ(client.Get((kTokens + "/self").c_str(), bearer(fenced_key))->status, 403);
    auto rotated = post(kTokens + "/self/rotate", bearer(key), "{}");
    ASSERT_EQ(rotated.status, 200) << rotated.body;
    remember(json::parse(rotated.body)["data"][0]["key"]);
}

void LogHygiene::expect_no_secret_in(const std::string& log) {
    ASSERT_GE(m_secrets.size(), 5u);
    std::vector<std::string> secrets = m_secrets;
    secrets.insert(secrets.end(), {kPassword, kWrongPassword, kBasicCredential.substr(6)});
    for (const auto& token : m_secrets) {
        if (token.starts_with("dft_")) {
            secrets.push_back(token.substr(4)); // the secret part alone, prefix stripped
        }
    }
    std::map<std::string, std::string> places = {{"server log", log}, {"CLI logs", m_cli_logs}};
    for (const char* file : {"tokend.db", "tokend.db-wal", "tokend.db-shm"}) {
        places[file] = read_file(data_dir() / file);
    }
    EXPECT_FALSE(places["tokend.db"].empty());
    for (const auto& [place, text] : places) {
        for (const auto& secret : secrets) {
            EXPECT_EQ(text.find(secret), std::string::npos)
                << "a secret (" << secret.size() << " chars, starting " << secret.substr(0, 4)
                << ") appears in the " << place;
        }
    }
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    return lines;
}

// The one log line that mentions `request_id`.
std::string line_with(const std::string& log, const std::string& request_id) {
    std::string found;
    for (const auto& line : lines_of(log)) {
        if (line.find("id=" + request_id) != std::string::npos) {
            EXPECT_TRUE(found.empty()) << "request id logged twice";
            found = line;
        }
    }
    return found;
}
} // namespace

TEST_F(LogHygiene, NoSecretInTraceTextLogOrDatabaseFiles) {
    bootstrap();
    auto server = start("text");
    ASSERT_GT(server->port(), 0);
    run_workload(server->port());
    expect_no_secret_in(server->log()); // while running: the WAL holds the recent writes
    EXPECT_EQ(server->stop(SIGTERM), 0);
    expect_no_secret_in(server->log());
    // The leak report's WARN line names the token by its display key only.
    EXPECT_NE(server->log().find("revoked: its key was reported leaked"), std::string::npos);
}

TEST_F(LogHygiene, NoSecretInTraceJsonLogAndEveryLineIsOneJsonObject) {
    bootstrap();
    auto server = start("json");
    ASSERT_GT(server->port(), 0);
    run_workload(server->port());
    EXPECT_EQ(server->stop(SIGTERM), 0);
    std::string log = server->log();
    expect_no_secret_in(log);
    auto lines = lines_of(log);
    ASSERT_GT(lines.size(), 20u);
    for (const auto& line : lines) {
        auto record = json::parse(line, nullptr, false);
        ASSERT_TRUE(record.is_object()) << line;
        EXPECT_TRUE(record["time"].is_string() && record["level"].is_string() &&
                    record["message"].is_string())
            << line;
    }
}

TEST_F(LogHygiene, AccessLogLineHasRequestIdMethodPathStatusAndDuration) {
    bootstrap();
    auto server = start("text");
    httplib::Client client("127.0.0.1", server->port());
    auto result = client.Get((kTokens + "?secret=query-value").c_str(), bearer(m_admin));
    ASSERT_TRUE(result);
    std::string request_id = result->get_header_value("X-Request-Id");
    ASSERT_FALSE(request_id.empty());
    EXPECT_EQ(server->stop(SIGTERM), 0);
    std::string line = line_with(server->log(), request_id);
    EXPECT_NE(line.find("method=GET path=" + kTokens + " status=200 duration_ms="),
              std::string::npos)
        << line;
    EXPECT_EQ(line.find("query-value"), std::string::npos) << line;
}

TEST_F(LogHygiene, AccessLogRedactsATokenPastedIntoThePath) {
    bootstrap();
    auto server = start("text");
    httplib::Client client("127.0.0.1", server->port());
    auto result = client.Delete((kTokens + "/" + m_admin).c_str(), bearer(m_admin));
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 400);
    EXPECT_EQ(server->stop(SIGTERM), 0);
    std::string line = line_with(server->log(), result->get_header_value("X-Request-Id"));
    EXPECT_NE(line.find("method=DELETE path=" + kTokens + "/* status=400"), std::string::npos)
        << line;
}

TEST_F(LogHygiene, ErrorResponsesCarryARequestIdToo) {
    bootstrap();
    auto server = start("text");
    httplib::Client client("127.0.0.1", server->port());
    auto result = client.Get("/no/such/route");
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 404);
    EXPECT_FALSE(result->get_header_value("X-Request-Id").empty());
}
