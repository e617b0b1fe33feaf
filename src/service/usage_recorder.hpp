// Batches lastUsedAt writes: uses are remembered in memory and written in one transaction every
// few seconds (at most one write per token per flush), and once more on shutdown (SPEC §9).
// It also remembers which key was used, because the lost-response rule of a rotation (SPEC
// §11.3) must know about a use of the current key before that use is flushed.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

#include "core/clock.hpp"
#include "crypto/token_hasher.hpp"
#include "store/store.hpp"

namespace tokend::service {

class UsageRecorder {
public:
    UsageRecorder(store::Store& store, std::chrono::milliseconds interval, core::Clock clock);
    ~UsageRecorder(); // stops the thread and flushes
    UsageRecorder(const UsageRecorder&) = delete;
    UsageRecorder& operator=(const UsageRecorder&) = delete;

    // `current_key` is the hash of the key that authenticated when it is the token's current
    // key; nullopt when the rotated-away key was used.
    // `address` is the client's (for the token's last-used address).
    void record(const std::string& token_id, const std::optional<crypto::Digest>& current_key,
                const std::string& address);
    // Whether a not yet flushed use was of the key with this hash.
    bool used_unflushed(const std::string& token_id, const crypto::Digest& current_key);
    void flush();

private:
    struct Pending {
        std::chrono::system_clock::time_point when;
        std::optional<crypto::Digest> current_key;
        std::string address;
    };
    using PendingMap = std::unordered_map<std::string, Pending>;
    void run();

    store::Store& m_store;
    std::chrono::milliseconds m_interval;
    core::Clock m_clock;
    std::mutex m_flush_mutex; // one flush at a time (the thread's and the destructor's)
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    PendingMap m_pending;
    PendingMap m_flushing; // taken by a flush whose write has not committed yet
    std::thread m_thread;
};

} // namespace tokend::service
