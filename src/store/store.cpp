// Store: migrations, the group-committing writer thread and the reader pool.
#include "store/store.hpp"

#include <chrono>
#include <stdexcept>
#include <string>

#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

#include "metrics/registry.hpp"
#include "sql_embedded.hpp"

namespace tokend::store {

namespace {
constexpr std::size_t kMaxBatch = 512;
}

Store::Store(std::filesystem::path db_file)
    : m_file(std::move(db_file)), m_writer(m_file, Connection::Mode::Writer) {
    migrate();
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
        q->executeStep();
        return q->getColumn(0).getInt();
    });
}

bool Store::ping() noexcept {
    try {
        return schema_version() > 0;
    } catch (...) {
        return false;
    }
}

void Store::migrate() {
    // BEGIN IMMEDIATE serialises a server and a CLI command starting on the same data dir.
    SQLite::Transaction transaction(m_writer.db(), SQLite::TransactionBehavior::IMMEDIATE);
    int version = m_writer.db().execAndGet("PRAGMA user_version").getInt();
    int latest = static_cast<int>(sql::kMigrations.size());
    if (version > latest) {
        throw std::runtime_error("the database has schema version " + std::to_string(version) +
                                 " but this tokend knows only " + std::to_string(latest) +
                                 "; use a newer tokend");
    }
    for (int i = version; i < latest; ++i) {
        m_writer.exec(sql::kMigrations[static_cast<std::size_t>(i)]);
    }
    m_writer.exec("PRAGMA user_version = " + std::to_string(latest));
    transaction.commit();
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
        m_writer.exec("BEGIN IMMEDIATE");
    } catch (...) {
        for (Job* job : batch) {
            job->error = std::current_exception();
        }
        return;
    }
    for (Job* job : batch) {
        m_writer.exec("SAVEPOINT job");
        try {
            job->run(m_writer);
            m_writer.exec("RELEASE job");
        } catch (...) {
            job->error = std::current_exception();
            m_writer.exec("ROLLBACK TO job");
            m_writer.exec("RELEASE job");
        }
    }
    try {
        auto started = std::chrono::steady_clock::now();
        m_writer.exec("COMMIT");
        if (metrics::enabled()) {
            metrics::registry().record_commit(batch.size(),
                                              std::chrono::steady_clock::now() - started);
        }
    } catch (...) {
        auto error = std::current_exception();
        if (sqlite3_get_autocommit(m_writer.db().getHandle()) == 0) {
            m_writer.exec("ROLLBACK");
        }
        for (Job* job : batch) {
            job->error = error;
        }
    }
}

Store::Lease::Lease(Store& s) : store(s) {
    {
        std::lock_guard lock(store.m_pool_mutex);
        if (!store.m_readers.empty()) {
            connection = std::move(store.m_readers.back());
            store.m_readers.pop_back();
        }
    }
    if (!connection) {
        connection = std::make_unique<Connection>(store.m_file, Connection::Mode::Reader);
    }
}

Store::Lease::~Lease() {
    std::lock_guard lock(store.m_pool_mutex);
    store.m_readers.push_back(std::move(connection));
}

} // namespace tokend::store
