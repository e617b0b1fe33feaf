// The database, whatever its engine: migrations at open, a pool of reader connections for the hot
// path, and one writer thread that group-commits concurrent writes (one commit per batch).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <vector>

#include "store/connection.hpp"
#include "store/engine.hpp"

namespace tokend::store {

class Store {
public:
    explicit Store(std::unique_ptr<Engine> engine);
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    // Runs `fn` on the writer connection inside a transaction it may share with other writes
    // submitted at the same moment; returns once that transaction is committed and fsynced.
    // If `fn` throws, only its own changes are rolled back and the exception is rethrown here.
    template <class F>
    auto write(F&& fn) -> std::invoke_result_t<F&, Connection&> {
        using Result = std::invoke_result_t<F&, Connection&>;
        if constexpr (std::is_void_v<Result>) {
            submit([&fn](Connection& c) { fn(c); });
        } else {
            std::optional<Result> result;
            submit([&fn, &result](Connection& c) { result.emplace(fn(c)); });
            return std::move(*result);
        }
    }

    // Runs `fn` on a reader connection of its own (never blocked by the writer's fsync). A
    // pooled connection found dead on use is replaced once: a read may run again.
    template <class F>
    auto read(F&& fn) -> std::invoke_result_t<F&, Connection&> {
        Lease lease(*this);
        try {
            return fn(*lease.connection);
        } catch (const Unavailable&) {
            if (lease.connection->usable()) {
                throw;
            }
            lease.reopen();
            return fn(*lease.connection);
        }
    }

    int schema_version();
    bool ping() noexcept; // true when a reader connection answers a query

private:
    struct Job {
        std::function<void(Connection&)> run;
        std::exception_ptr error;
        bool done = false;
    };
    struct Lease {
        explicit Lease(Store& store);
        ~Lease();
        void open();   // a new connection in this lease's slot
        void reopen(); // replaces a dead one
        Store& store;
        std::unique_ptr<Connection> connection;
    };

    void submit(std::function<void(Connection&)> run);
    void writer_loop();
    void commit_batch(std::vector<Job*>& batch);
    void begin_batch();
    void run_in_savepoint(Job& job);

    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<Connection> m_writer;

    std::mutex m_queue_mutex;
    std::condition_variable m_queue_ready;
    std::condition_variable m_batch_done;
    std::deque<Job*> m_queue;
    bool m_stopping = false;
    std::thread m_writer_thread;

    std::mutex m_pool_mutex;
    std::condition_variable m_reader_returned;
    std::vector<std::unique_ptr<Connection>> m_readers; // idle ones
    std::size_t m_readers_open = 0;                     // idle and leased
};

} // namespace tokend::store
