// PostgreSQL 15 for more than one node (SPEC §15): every node talks to the primary
// (target_session_attrs=read-write), schema versions live in the tokend_schema table, and
// migrations run under an advisory lock so nodes starting together apply them once.
#pragma once

#include <chrono>
#include <mutex>
#include <string>

#include "store/engine.hpp"

namespace tokend::store::postgres {

// True for what libpq takes: a URI (postgres://…, postgresql://…) or key=value words.
bool is_connection_string(std::string_view database);

class Engine final : public store::Engine {
public:
    explicit Engine(std::string connection_string);
    std::string_view name() const override { return "postgres"; }
    std::unique_ptr<store::Connection> open_writer() override { return connect(); }
    std::unique_ptr<store::Connection> open_reader() override { return connect(); }
    std::size_t max_readers() const override { return kMaxReaders; }
    void migrate(store::Connection& writer) override;
    void begin(store::Connection& writer) override;
    void end_failed_commit(store::Connection& writer) noexcept override;

    // Readers open at most: PostgreSQL's max_connections (default 100) is shared by every node.
    static constexpr std::size_t kMaxReaders = 16;

private:
    std::unique_ptr<store::Connection> connect();

    std::string m_url;
    // After a failed connect, further attempts wait (100 ms, doubling to 2 s) so a database that
    // is down is not hammered by every request; each waiting request gets a 503 at once.
    std::mutex m_backoff_mutex;
    std::chrono::steady_clock::time_point m_next_attempt{};
    std::chrono::milliseconds m_backoff{0};
    std::string m_last_failure;
    bool m_connected_once = false;
};

} // namespace tokend::store::postgres
