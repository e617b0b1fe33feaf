// The database of one data dir: migrations at open, a pool of reader connections for the hot
// path, and one writer thread that group-commits concurrent writes (one fsync per batch).
#pragma once

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <vector>

#include "store/connection.hpp"

namespace tokend::store {

class Store {
public:
    explicit Store(std::filesystem::path db_file);
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

    // Runs `fn` on a reader connection of its own (never blocked by the writer's fsync).
    template <class F>
    auto read(F&& fn) -> std::invoke_result_t<F&, Connection&> {
        Lease lease(*this);
        return fn(*lease.connection);
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
        Store& store;
        std::unique_ptr<Connection> connection;
    };

    void submit(std::function<void(Connection&)> run);
    void writer_loop();
    void commit_batch(std::vector<Job*>& batch);
    void migrate();

    std::filesystem::path m_file;
    Connection m_writer;

    std::mutex m_queue_mutex;
    std::condition_variable m_queue_ready;
    std::condition_variable m_batch_done;
    std::deque<Job*> m_queue;
    bool m_stopping = false;
    std::thread m_writer_thread;

    std::mutex m_pool_mutex;
    std::vector<std::unique_ptr<Connection>> m_readers;
};

} // namespace tokend::store
