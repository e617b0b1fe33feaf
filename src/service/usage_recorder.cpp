// lastUsedAt batching.
#include "service/usage_recorder.hpp"

#include <spdlog/spdlog.h>

#include "core/clock.hpp"
#include "store/tokens.hpp"

namespace tokend::service {

UsageRecorder::UsageRecorder(store::Store& store, std::chrono::milliseconds interval)
    : m_store(store), m_interval(interval), m_thread([this] { run(); }) {}

UsageRecorder::~UsageRecorder() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_thread.join();
    flush();
}

void UsageRecorder::record(const std::string& token_id) {
    auto now = std::chrono::system_clock::now();
    std::lock_guard lock(m_mutex);
    m_pending[token_id] = now;
}

void UsageRecorder::flush() {
    std::unordered_map<std::string, std::chrono::system_clock::time_point> pending;
    {
        std::lock_guard lock(m_mutex);
        pending.swap(m_pending);
    }
    if (pending.empty()) {
        return;
    }
    std::vector<std::pair<std::string, std::string>> uses;
    uses.reserve(pending.size());
    for (const auto& [id, when] : pending) {
        uses.emplace_back(id, core::format_timestamp(when));
    }
    try {
        m_store.write([&uses](store::Connection& c) { store::tokens::touch(c, uses); });
    } catch (const std::exception& error) {
        // Losing a lastUsedAt update is harmless; losing the server over it is not.
        spdlog::warn("could not record token use: {}", error.what());
    }
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
