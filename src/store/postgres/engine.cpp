// PostgreSQL engine: connecting with backoff, migrations under an advisory lock.
#include "store/postgres/engine.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>

#include "store/postgres/connection.hpp"

namespace tokend::store::postgres {

namespace {
constexpr std::chrono::milliseconds kFirstBackoff{100};
constexpr std::chrono::milliseconds kMaxBackoff{2000};

bool is_uri(std::string_view database) {
    return database.starts_with("postgres://") || database.starts_with("postgresql://");
}

// The connection string as given (a URI or key=value words), plus what every node needs unless
// it says otherwise: the primary only, a bounded connect, and a name in pg_stat_activity.
std::string with_defaults(std::string url) {
    bool uri = is_uri(url);
    auto add = [&url, uri](std::string_view key, std::string_view value) {
        if (url.find(std::string(key) + "=") != std::string::npos) {
            return;
        }
        url += !uri ? ' ' : url.find('?') == std::string::npos ? '?' : '&';
        url += std::string(key) + "=" + std::string(value);
    };
    add("target_session_attrs", "read-write");
    add("connect_timeout", "5");
    add("application_name", "tokend");
    return url;
}

int schema_version(Connection& c) {
    auto q = c.query(sql::schema_version);
    if (!q->step()) {
        throw std::runtime_error("the tokend_schema table has no row");
    }
    return static_cast<int>(q->integer(0));
}
} // namespace

bool is_connection_string(std::string_view database) {
    return is_uri(database) || database.find('=') != std::string_view::npos;
}

Engine::Engine(std::string url) : m_url(with_defaults(std::move(url))) {}

std::unique_ptr<store::Connection> Engine::connect() {
    {
        std::lock_guard lock(m_backoff_mutex);
        if (std::chrono::steady_clock::now() < m_next_attempt) {
            throw Unavailable(m_last_failure);
        }
    }
    try {
        auto connection = std::make_unique<Connection>(m_url);
        std::lock_guard lock(m_backoff_mutex);
        if (m_backoff.count() > 0) {
            spdlog::info("database: connected again");
        }
        m_backoff = std::chrono::milliseconds{0};
        m_connected_once = true;
        return connection;
    } catch (const Unavailable& error) {
        std::lock_guard lock(m_backoff_mutex);
        // Before the first connection the caller reports the failure (start-up: one line, exit 1).
        if (m_backoff.count() == 0 && m_connected_once) {
            spdlog::warn("database: {}", error.what());
        }
        m_backoff = m_backoff.count() == 0 ? kFirstBackoff : std::min(m_backoff * 2, kMaxBackoff);
        m_next_attempt = std::chrono::steady_clock::now() + m_backoff;
        m_last_failure = error.what();
        throw;
    }
}

void Engine::migrate(store::Connection& writer) {
    auto& c = static_cast<Connection&>(writer);
    c.exec(sql::postgres::schema_lock);
    try {
        c.exec(sql::postgres::schema_table);
        int version = schema_version(c);
        int latest = static_cast<int>(sql::postgres::kMigrations.size());
        check_schema_version(version, latest);
        for (int i = version; i < latest; ++i) {
            c.exec("BEGIN");
            try {
                c.exec(sql::postgres::kMigrations[static_cast<std::size_t>(i)]);
                c.exec("UPDATE tokend_schema SET version = " + std::to_string(i + 1));
                c.exec("COMMIT");
            } catch (...) {
                end_failed_commit(c);
                throw;
            }
        }
    } catch (...) {
        if (c.usable()) {
            c.exec(sql::postgres::schema_unlock);
        }
        throw;
    }
    c.exec(sql::postgres::schema_unlock);
}

void Engine::begin(store::Connection& writer) {
    writer.exec("BEGIN");
}

void Engine::end_failed_commit(store::Connection& writer) noexcept {
    try {
        auto& c = static_cast<Connection&>(writer);
        if (c.usable() && c.in_transaction()) {
            c.exec("ROLLBACK");
        }
    } catch (...) {
        // A lost session has no transaction left to end; the store opens a new one.
    }
}

} // namespace tokend::store::postgres
