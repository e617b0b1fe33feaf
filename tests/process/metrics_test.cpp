// serve --metrics-listen as a process (SPEC §13): after known traffic, a real scrape passes
// `promtool check metrics` and holds the expected series and values — requests by route pattern
// (never a raw id), durations, gate checks by reason, throttle hits, live tokens, group commits.
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "process_helpers.hpp"
#include "support/temp_dir.hpp"

using namespace tokend::test;
using nlohmann::json;

namespace {
const std::string kCheck = "/api/v1/auth/check?permission=analytics:read";
const std::string kTokensPath = "/api/v1/admin/access-tokens";
constexpr int kAllowedChecks = 5;
constexpr int kBadTokenChecks = 25; // the failed-auth burst is 20, so 5 are throttled
constexpr int kThrottleBurst = 20;

httplib::Headers bearer(const std::string& token) {
    return {{"Authorization", "Bearer " + token}};
}

// The value of the series written exactly as `series` (name and labels), or -1 when absent.
double sample(const std::string& scrape, const std::string& series) {
    std::istringstream lines(scrape);
    for (std::string line; std::getline(lines, line);) {
        if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 &&
            line[series.size()] == ' ') {
            return std::stod(line.substr(series.size() + 1));
        }
    }
    return -1;
}

int metrics_port(const std::string& log) {
    static const std::regex kLine(R"(metrics on http://[^\s:]+:(\d+)/metrics)");
    std::smatch match;
    return std::regex_search(log, match, kLine) ? std::stoi(match[1]) : -1;
}

class Metrics : public ::testing::Test {
protected:
    Result cli(std::vector<std::string> args) {
        args.insert(args.end(), {"--data-dir", data_dir().string()});
        return run_cli({std::move(args), {}, "", m_dir.path()});
    }
    std::unique_ptr<ServerProcess> start(const std::string& metrics_listen) {
        std::vector<std::string> args = {"serve", "--listen", "127.0.0.1:0", "--data-dir",
                                         data_dir().string()};
        return std::make_unique<ServerProcess>(
            Launch{args, {{"TOKEND_METRICS_LISTEN", metrics_listen}}, "", m_dir.path()},
            m_dir.path() / "serve.log");
    }
    std::filesystem::path data_dir() const { return m_dir.path() / "data"; }

    TempDir m_dir;
};
} // namespace

TEST_F(Metrics, ScrapePassesPromtoolAndCountsTheTraffic) {
    ASSERT_EQ(cli({"account", "create", "--email", "ops@example.com"}).code, 0);
    auto bootstrap = cli({"token", "create", "--email", "ops@example.com"});
    ASSERT_EQ(bootstrap.code, 0);
    std::string caller = bootstrap.out.substr(0, 40);
    auto server = start("127.0.0.1:0");
    ASSERT_GT(server->port(), 0);
    int scrape_port = metrics_port(server->log());
    ASSERT_GT(scrape_port, 0) << server->log();

    httplib::Client api("127.0.0.1", server->port());
    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i) {
        auto r = api.Post(kTokensPath.c_str(), bearer(caller), R"({"permissions":["goals:read"]})",
                          "application/json");
        ASSERT_TRUE(r && r->status == 200);
        ids.push_back(json::parse(r->body)["data"][0]["_id"]);
    }
    auto revoked = api.Delete((kTokensPath + "/" + ids[0]).c_str(), bearer(caller));
    ASSERT_TRUE(revoked && revoked->status == 200);
    for (int i = 0; i < kAllowedChecks; ++i) {
        ASSERT_EQ(api.Get(kCheck.c_str(), bearer(caller))->status, 204);
    }
    auto narrow = api.Post(kTokensPath.c_str(), bearer(caller), R"({"permissions":["goals:read"]})",
                           "application/json");
    std::string goals_only = json::parse(narrow->body)["data"][0]["key"];
    ASSERT_EQ(api.Get(kCheck.c_str(), bearer(goals_only))->status, 403);
    std::string wrong = "dft_" + std::string(36, 'x'); // a bad checksum: 401, counts as a guess
    for (int i = 0; i < kBadTokenChecks; ++i) {
        api.Get(kCheck.c_str(), bearer(wrong));
    }
    ASSERT_EQ(api.Get("/no/such/path")->status, 404);

    httplib::Client scraper("127.0.0.1", scrape_port);
    auto scraped = scraper.Get("/metrics");
    ASSERT_TRUE(scraped);
    ASSERT_EQ(scraped->status, 200);
    EXPECT_EQ(scraped->get_header_value("Content-Type"),
              "text/plain; version=0.0.4; charset=utf-8");
    const std::string& text = scraped->body;

    auto file = m_dir.path() / "scrape.txt";
    std::ofstream(file) << text;
    if (std::system("command -v promtool >/dev/null 2>&1") != 0) {
        // CI installs it (scripts/deps.sh test); elsewhere the other assertions still run.
        ASSERT_EQ(std::getenv("CI"), nullptr)
            << "promtool is missing: bash scripts/deps.sh test installs Debian's prometheus";
        std::printf("promtool not installed: the format check is left out of this run\n");
    } else {
        auto report = m_dir.path() / "promtool.txt";
        int code = std::system(
            ("promtool check metrics < '" + file.string() + "' > '" + report.string() + "' 2>&1")
                .c_str());
        EXPECT_EQ(code, 0) << read_file(report) << text;
    }

    const std::string check = R"(method="GET",route="/api/v1/auth/check")";
    EXPECT_EQ(sample(text, "tokend_http_requests_total{" + check + R"(,status="204"})"),
              kAllowedChecks);
    EXPECT_EQ(sample(text, "tokend_http_requests_total{" + check + R"(,status="401"})"),
              kThrottleBurst);
    EXPECT_EQ(sample(text, "tokend_http_requests_total{" + check + R"(,status="403"})"),
              1 + kBadTokenChecks - kThrottleBurst);
    EXPECT_EQ(sample(text, "tokend_http_request_duration_seconds_count{" + check + "}"),
              kAllowedChecks + 1 + kBadTokenChecks);
    EXPECT_EQ(
        sample(text, "tokend_http_request_duration_seconds_bucket{" + check + R"(,le="+Inf"})"),
        kAllowedChecks + 1 + kBadTokenChecks);
    EXPECT_EQ(
        sample(
            text,
            R"(tokend_http_requests_total{method="POST",route="/api/v1/admin/access-tokens",status="200"})"),
        4);
    // The revoke is counted under the route's pattern; the id itself appears nowhere.
    EXPECT_EQ(
        sample(
            text,
            R"(tokend_http_requests_total{method="DELETE",route="/api/v1/admin/access-tokens/{tokenId}",status="200"})"),
        1);
    EXPECT_EQ(text.find(ids[0]), std::string::npos);
    EXPECT_EQ(text.find("/no/such/path"), std::string::npos);
    EXPECT_EQ(
        sample(text, R"(tokend_http_requests_total{method="*",route="unmatched",status="404"})"),
        1);

    EXPECT_EQ(sample(text, R"(tokend_auth_checks_total{outcome="allowed",reason="allowed"})"),
              kAllowedChecks);
    EXPECT_EQ(sample(text, R"(tokend_auth_checks_total{outcome="denied",reason="invalid_token"})"),
              kThrottleBurst);
    EXPECT_EQ(sample(text, R"(tokend_auth_checks_total{outcome="denied",reason="throttled"})"),
              kBadTokenChecks - kThrottleBurst);
    // 403 for a missing permission: "forbidden" from the status, or the reason header's name
    // once the route sets X-Tokend-Reason (SPEC §11.9).
    EXPECT_EQ(
        sample(text, R"(tokend_auth_checks_total{outcome="denied",reason="forbidden"})") +
            sample(
                text,
                R"(tokend_auth_checks_total{outcome="denied",reason="insufficient_permission"})"),
        1);
    EXPECT_EQ(sample(text, "tokend_failed_auth_throttled_total"), kBadTokenChecks - kThrottleBurst);

    EXPECT_EQ(sample(text, "tokend_live_tokens"), 4); // bootstrap + 4 created - 1 revoked
    // Five writes over HTTP (4 creates, 1 revoke), plus lastUsedAt flushes: at least 5 commits
    // of at least one write each; one duration per commit.
    double commits = sample(text, "tokend_store_commit_batch_size_count");
    EXPECT_GE(commits, 1);
    EXPECT_GE(sample(text, "tokend_store_commit_batch_size_sum"), 5);
    EXPECT_EQ(sample(text, "tokend_store_commit_duration_seconds_count"), commits);
    EXPECT_GT(sample(text, "tokend_store_commit_duration_seconds_sum"), 0);

    EXPECT_EQ(scraper.Get("/other")->status, 404);
    EXPECT_EQ(server->stop(SIGTERM), 0);
}

TEST_F(Metrics, MalformedMetricsListenIsAUsageError) {
    auto r = cli({"serve", "--listen", "127.0.0.1:0", "--metrics-listen", "nowhere"});
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(line_count(r.err), 1) << r.err;
    EXPECT_NE(r.err.find("--metrics-listen must be HOST:PORT"), std::string::npos) << r.err;
}

TEST_F(Metrics, MetricsPortInUseFailsWithOneLine) {
    // A listening socket of this test process holds the port.
    int holder = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    ASSERT_EQ(::bind(holder, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    ASSERT_EQ(::listen(holder, 1), 0);
    ASSERT_EQ(::getsockname(holder, reinterpret_cast<sockaddr*>(&address), &length), 0);
    int taken = ntohs(address.sin_port);
    auto r = cli({"serve", "--listen", "127.0.0.1:0", "--metrics-listen",
                  "127.0.0.1:" + std::to_string(taken)});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("--metrics-listen: cannot listen on 127.0.0.1:" + std::to_string(taken)),
              std::string::npos)
        << r.err;
    ::close(holder);
}
