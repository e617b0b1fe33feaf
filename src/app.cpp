// App construction order: data dir → secret key → store (engine, migrations) → services → HTTP.
#include "app.hpp"

#include <sys/stat.h>

#include <system_error>
#include <thread>

#include "crypto/random.hpp"
#include "metrics/registry.hpp"
#include "store/postgres/engine.hpp"
#include "store/sqlite/engine.hpp"

namespace tokend {

namespace {
const std::filesystem::path& prepared_data_dir(const std::filesystem::path& dir) {
    crypto::init();
    if (!std::filesystem::exists(dir)) {
        std::filesystem::create_directories(dir);
        std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                                     std::filesystem::perm_options::replace);
    }
    return dir;
}

std::string secret_key(const AppConfig& config) {
    if (!config.secret_key_file.empty()) {
        crypto::init();
        return crypto::read_secret_key(config.secret_key_file);
    }
    return crypto::load_or_create_secret_key(prepared_data_dir(config.data_dir) / "secret.key");
}

std::unique_ptr<store::Engine> engine(const AppConfig& config) {
    if (config.database.empty()) {
        return store::sqlite::open(prepared_data_dir(config.data_dir) / "tokend.db");
    }
    if (store::postgres::is_connection_string(config.database)) {
        return std::make_unique<store::postgres::Engine>(config.database);
    }
    throw std::invalid_argument("--database takes a PostgreSQL connection string "
                                "(postgres://… or host=… dbname=…), or nothing for SQLite in the "
                                "data dir");
}
} // namespace

App::App(AppConfig config)
    : m_config(std::move(config)), m_hasher(secret_key(m_config)), m_store(engine(m_config)),
      m_usage(m_store, m_config.usage_flush_interval, m_config.clock),
      m_authenticator(m_store, m_hasher, m_usage, m_config.failed_auth, m_config.clock),
      m_accounts(m_store), m_tokens(m_store, m_hasher, m_usage,
                                    {m_config.max_tokens_per_account, m_config.max_token_lifetime,
                                     m_config.expired_token_retention},
                                    m_config.clock),
      m_websites(m_store), m_sessions(m_store, m_hasher, m_accounts),
      m_listing(m_store, m_hasher, m_config.clock),
      m_introspection(m_store, m_hasher, m_config.clock),
      m_leak_reports(m_store, m_hasher, m_config.clock, m_config.leak_reports),
      m_audit(m_store, m_hasher, m_config.clock, m_config.audit_retention),
      m_services{m_store,         m_authenticator, m_accounts,     m_tokens,
                 m_websites,      m_sessions,      m_config.clock, m_listing,
                 m_introspection, m_leak_reports,  m_audit},
      m_server(m_services, m_config.server) {}

App::~App() = default;

int App::bind(const std::string& host, int port) {
    return m_server.bind(host, port);
}

int App::bind_metrics(const std::string& host, int port) {
    m_metrics = std::make_unique<http::MetricsServer>(m_store);
    int bound = m_metrics->bind(host, port);
    metrics::enable();
    return bound;
}

void App::serve() {
    // Only a serving App purges: a CLI command on the same data dir should not write behind
    // the operator's back.
    m_purger = std::make_unique<service::ExpiredTokenPurger>(
        m_tokens, m_config.expired_purge_interval, &m_audit);
    std::thread metrics;
    if (m_metrics) {
        metrics = std::thread([this] { m_metrics->run(); });
    }
    m_server.run();
    if (m_metrics) {
        // cpp-httplib 0.11.4 ignores stop() until its accept loop runs: wait for the loop.
        while (!m_metrics->is_running()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        m_metrics->stop();
        metrics.join();
    }
    m_purger.reset();
}

void App::stop() {
    m_server.stop();
}

} // namespace tokend
