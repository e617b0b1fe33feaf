// Where log lines go: stderr, written in batches. Request threads only append their line to a
// buffer; one background thread writes the buffer every few milliseconds, so an access-log line
// costs no write and no thread wake-up on the request's path. Warnings and errors, and a full
// buffer, are written at once. A SIGKILL can lose the last few milliseconds of info lines.
#pragma once

#include <spdlog/details/log_msg.h>
#include <spdlog/sinks/base_sink.h>

#include <condition_variable>
#include <mutex>
#include <thread>

namespace tokend::cli {

class BatchedStderrSink final : public spdlog::sinks::base_sink<std::mutex> {
public:
    BatchedStderrSink(); // starts the writer thread (with the caller's signal mask)
    ~BatchedStderrSink() override;

private:
    void sink_it_(const spdlog::details::log_msg& msg) override;
    void flush_() override; // called with the sink's mutex held
    void write_every_interval();

    spdlog::memory_buf_t m_pending;
    std::condition_variable m_wake; // only to stop the writer thread promptly
    bool m_stopping = false;
    std::thread m_writer;
};

} // namespace tokend::cli
