// Wires the rooms together for one data dir. main and the tests build the same App.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "core/clock.hpp"
#include "crypto/token_hasher.hpp"
#include "http/metrics_server.hpp"
#include "http/server.hpp"
#include "service/account_service.hpp"
#include "service/audit_log.hpp"
#include "service/authenticator.hpp"
#include "service/expired_token_purger.hpp"
#include "service/introspection.hpp"
#include "service/leak_report.hpp"
#include "service/session_service.hpp"
#include "service/token_listing.hpp"
#include "service/token_service.hpp"
#include "service/usage_recorder.hpp"
#include "service/website_service.hpp"
#include "store/store.hpp"

namespace tokend {

struct AppConfig {
    std::filesystem::path data_dir = "data";
    // Empty: SQLite in data_dir/tokend.db. A postgres:// URL: that database (SPEC §15).
    std::string database;
    // Empty: data_dir/secret.key, made on first start. Else this file, which must exist (all
    // nodes on one database share it).
    std::filesystem::path secret_key_file;
    core::Clock clock = core::system_now; // tests inject their own to move time
    int max_tokens_per_account = 20;
    std::optional<std::chrono::seconds> max_token_lifetime;           // --max-token-lifetime
    std::chrono::seconds expired_token_retention{30 * 86400};         // --expired-token-retention
    std::chrono::seconds audit_retention{90 * 86400};                 // --audit-retention
    std::chrono::milliseconds expired_purge_interval{60 * 60 * 1000}; // how often it runs
    std::chrono::milliseconds usage_flush_interval{2000};
    service::FailedAuthLimits failed_auth{};
    service::LeakReportLimits leak_reports{};
    http::ServerSettings server{};
};

class App {
public:
    explicit App(AppConfig config); // creates the data dir (0700) and secret.key, migrates
    ~App();

    service::AccountService& accounts() { return m_accounts; }
    service::TokenService& tokens() { return m_tokens; }
    service::WebsiteService& websites() { return m_websites; }
    service::SessionService& sessions() { return m_sessions; }
    store::Store& store() { return m_store; }
    service::AuditLog& audit() { return m_audit; }

    int bind(const std::string& host, int port); // returns the real port
    // Opens the metrics listener (off unless called) and starts recording; the real port.
    int bind_metrics(const std::string& host, int port);
    void serve(); // blocks until stop(); the metrics listener, if bound, runs alongside
    void stop();
    bool is_running() const { return m_server.is_running(); }
    std::vector<http::RouteEntry> routes() const { return m_server.routes(); }
    void reload_tls() { m_server.reload_tls(); } // throws, keeping the old ones, on failure

private:
    AppConfig m_config;
    crypto::TokenHasher m_hasher;
    store::Store m_store;
    service::UsageRecorder m_usage;
    service::Authenticator m_authenticator;
    service::AccountService m_accounts;
    service::TokenService m_tokens;
    service::WebsiteService m_websites;
    service::SessionService m_sessions;
    service::TokenListing m_listing;
    service::Introspection m_introspection;
    service::LeakReport m_leak_reports;
    service::AuditLog m_audit;
    http::Services m_services;
    http::Server m_server;
    std::unique_ptr<http::MetricsServer> m_metrics;
    std::unique_ptr<service::ExpiredTokenPurger> m_purger; // while serving
};

} // namespace tokend
