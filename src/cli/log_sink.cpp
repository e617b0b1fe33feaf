// The batched stderr sink.
#include "cli/log_sink.hpp"

#include <unistd.h>

#include <cerrno>
#include <chrono>

namespace tokend::cli {

namespace {
constexpr std::size_t kWriteAt = 64 * 1024;
constexpr auto kInterval = std::chrono::milliseconds(20);
} // namespace

BatchedStderrSink::BatchedStderrSink() : m_writer([this] { write_every_interval(); }) {}

BatchedStderrSink::~BatchedStderrSink() {
    {
        std::lock_guard lock(mutex_);
        m_stopping = true;
    }
    m_wake.notify_one();
    m_writer.join();
    std::lock_guard lock(mutex_);
    flush_();
}

void BatchedStderrSink::sink_it_(const spdlog::details::log_msg& msg) {
    formatter_->format(msg, m_pending);
    if (msg.level >= spdlog::level::warn || m_pending.size() >= kWriteAt) {
        flush_();
    }
}

void BatchedStderrSink::flush_() {
    const char* data = m_pending.data();
    std::size_t left = m_pending.size();
    while (left > 0) {
        ssize_t n = ::write(STDERR_FILENO, data, left);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break; // stderr is gone: nothing else can be done with the lines
        }
        data += n;
        left -= static_cast<std::size_t>(n);
    }
    m_pending.clear();
}

void BatchedStderrSink::write_every_interval() {
    std::unique_lock lock(mutex_);
    while (!m_stopping) {
        m_wake.wait_for(lock, kInterval);
        flush_();
    }
}

} // namespace tokend::cli
