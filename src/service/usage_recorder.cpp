// lastUsedAt batching.
#include "service/usage_recorder.hpp"

#include <spdlog/spdlog.h>

#include "store/tokens.hpp"

namespace tokend::service {

UsageRecorder::UsageRecorder(store::Store& store, std::chrono::milliseconds interval,
                             core::Clock clock)
    : m_store(store), m_interval(interval), m_clock(std::move(clock)), m_thread([this] { run(); }) {
}

UsageRecorder::~UsageRecorder() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_thread.join();
    flush();
}

void UsageRecorder::record(const std::string& token_id,
                           const std::optional<crypto::Digest>& current_key,
                           const std::string& address) {
    auto now = m_clock();
    std::lock_guard lock(m_mutex);
    Pending& pending = m_pending[token_id];
    pending.when = now;
    pending.address = address;
    if (current_key) {
        pending.current_key = current_key;
    }
}

bool UsageRecorder::used_unflushed(const std::string& token_id, const crypto::Digest& current_key) {
    std::lock_guard lock(m_mutex);
    for (const PendingMap* map : {&m_pending, &m_flushing}) {
        auto it = map->find(token_id);
        if (it != map->end() && it->second.current_key == current_key) {
            return true;
        }
    }
    return false;
}

void UsageRecorder::flush() {
    std::lock_guard serial(m_flush_mutex);
    std::vector<store::tokens::Use> uses;
    {
        std::lock_guard lock(m_mutex);
        m_flushing.swap(m_pending);
        m_pending.clear();
        uses.reserve(m_flushing.size());
        for (const auto& [id, pending] : m_flushing) {
            uses.push_back(
                {id, core::format_timestamp(pending.when), pending.current_key, pending.address});
        }
    }
    if (!uses.empty()) {
        try {
            m_store.write([&uses](store::Connection& c) { store::tokens::touch(c, uses); });
        } catch (const std::exception& error) {
            // Losing a lastUsedAt update is harmless; losing the server over it is not.
            spdlog::warn("could not record token use: {}", error.what());
        }
    }
    std::lock_guard lock(m_mutex);
    m_flushing.clear();
}

void UsageRecorder::run() {
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        m_wake.wait_for(lock, m_interval, [this] { return m_stopping; });
        lock.unlock();
        flush();
        lock.lock();
    }
}

} // namespace tokend::service
