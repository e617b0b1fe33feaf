// Store: migrations, the group-committing writer thread and the reader pool.
#include "store/store.hpp"

#include <chrono>
#include <stdexcept>
#include <string>

#include "metrics/registry.hpp"

namespace tokend::store {

namespace {
constexpr std::size_t kMaxBatch = 512;
}

Store::Store(std::unique_ptr<Engine> engine)
    : m_engine(std::move(engine)), m_writer(m_engine->open_writer()) {
    m_engine->migrate(*m_writer);
    m_writer_thread = std::thread([this] { writer_loop(); });
}

Store::~Store() {
    {
        std::lock_guard lock(m_queue_mutex);
        m_stopping = true;
    }
    m_queue_ready.notify_all();
    m_writer_thread.join();
}

int Store::schema_version() {
    return read([](Connection& c) {
        auto q = c.query(sql::schema_version);
        q->step();
        return static_cast<int>(q->integer(0));
    });
}

bool Store::ping() noexcept {
    try {
        return schema_version() > 0;
    } catch (...) {
        return false;
    }
}

void Store::submit(std::function<void(Connection&)> run) {
    Job job{std::move(run), nullptr, false};
    std::unique_lock lock(m_queue_mutex);
    m_queue.push_back(&job);
    m_queue_ready.notify_one();
    m_batch_done.wait(lock, [&job] { return job.done; });
    if (job.error) {
        std::rethrow_exception(job.error);
    }
}

void Store::writer_loop() {
    for (;;) {
        std::vector<Job*> batch;
        {
            std::unique_lock lock(m_queue_mutex);
            m_queue_ready.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
            if (m_queue.empty()) {
                return;
            }
            while (!m_queue.empty() && batch.size() < kMaxBatch) {
                batch.push_back(m_queue.front());
                m_queue.pop_front();
            }
        }
        commit_batch(batch);
        {
            std::lock_guard lock(m_queue_mutex);
            for (Job* job : batch) {
                job->done = true;
            }
        }
        m_batch_done.notify_all();
    }
}

void Store::commit_batch(std::vector<Job*>& batch) {
    try {
        begin_batch();
        for (Job* job : batch) {
            run_in_savepoint(*job);
        }
        auto started = std::chrono::steady_clock::now();
        m_writer->exec("COMMIT");
        if (metrics::enabled()) {
            metrics::registry().record_commit(batch.size(),
                                              std::chrono::steady_clock::now() - started);
        }
    } catch (...) {
        // BEGIN, a savepoint or COMMIT failed: no job of the batch is known to be committed.
        auto error = std::current_exception();
        m_engine->end_failed_commit(*m_writer);
        for (Job* job : batch) {
            job->error = error;
        }
    }
}

void Store::begin_batch() {
    try {
        m_engine->begin(*m_writer);
    } catch (const Unavailable&) {
        // A session lost while idle shows only when used: nothing has run yet, so one new
        // connection may try again.
        if (m_writer->usable()) {
            throw;
        }
        m_writer = m_engine->open_writer();
        m_engine->begin(*m_writer);
    }
}

void Store::run_in_savepoint(Job& job) {
    m_writer->exec("SAVEPOINT job");
    try {
        job.run(*m_writer);
    } catch (...) {
        job.error = std::current_exception();
        m_writer->exec("ROLLBACK TO job"); // throws when the connection is lost: the batch fails
    }
    m_writer->exec("RELEASE job");
}

Store::Lease::Lease(Store& s) : store(s) {
    {
        std::unique_lock lock(store.m_pool_mutex);
        store.m_reader_returned.wait(lock, [this] {
            return !store.m_readers.empty() || store.m_readers_open < store.m_engine->max_readers();
        });
        if (!store.m_readers.empty()) {
            connection = std::move(store.m_readers.back());
            store.m_readers.pop_back();
            return;
        }
        ++store.m_readers_open;
    }
    open();
}

void Store::Lease::open() {
    try {
        connection = store.m_engine->open_reader();
    } catch (...) {
        {
            std::lock_guard lock(store.m_pool_mutex);
            --store.m_readers_open;
        }
        store.m_reader_returned.notify_one();
        throw;
    }
}

void Store::Lease::reopen() {
    connection.reset();
    open();
}

Store::Lease::~Lease() {
    {
        std::lock_guard lock(store.m_pool_mutex);
        if (connection && connection->usable()) {
            store.m_readers.push_back(std::move(connection));
        } else if (connection) {
            --store.m_readers_open;
        }
    }
    store.m_reader_returned.notify_one();
}

} // namespace tokend::store
