// Batches lastUsedAt writes: uses are remembered in memory and written in one transaction every
// few seconds (at most one write per token per flush), and once more on shutdown (SPEC §9).
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "store/store.hpp"

namespace tokend::service {

class UsageRecorder {
public:
    UsageRecorder(store::Store& store, std::chrono::milliseconds interval);
    ~UsageRecorder(); // stops the thread and flushes
    UsageRecorder(const UsageRecorder&) = delete;
    UsageRecorder& operator=(const UsageRecorder&) = delete;

    void record(const std::string& token_id);
    void flush();

private:
    void run();

    store::Store& m_store;
    std::chrono::milliseconds m_interval;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::unordered_map<std::string, std::chrono::system_clock::time_point> m_pending;
    std::thread m_thread;
};

} // namespace tokend::service
