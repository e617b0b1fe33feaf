// One detached thread per connection. A thread that blocks in poll() costs nothing while idle;
// its 1 MiB stack is virtual memory, touched only as deep as a request goes.
#include "http/front_door/thread_per_connection.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>

namespace tokend::http::front_door {

namespace {
constexpr std::size_t kStackBytes = 1024 * 1024; // 1/8 of the default; room for sanitizer builds

struct Task {
    std::function<void()> fn;
    std::shared_ptr<void> live; // keeps the counter alive until the thread has signalled
};
} // namespace

void ThreadPerConnection::enqueue(std::function<void()> fn) {
    {
        std::lock_guard lock(m_live->mutex);
        ++m_live->count;
    }
    auto* task = new Task{std::move(fn), m_live};
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, kStackBytes);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t thread;
    int rc = pthread_create(&thread, &attr, &ThreadPerConnection::run, task);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        // Out of threads: serve this one connection on the accept thread rather than leak its
        // socket. Admission keeps this from happening below the configured caps.
        spdlog::warn("cannot start a connection thread (error {}); serving it inline", rc);
        run(task);
    }
}

void* ThreadPerConnection::run(void* arg) {
    std::unique_ptr<Task> task(static_cast<Task*>(arg));
    task->fn();
    auto live = std::static_pointer_cast<Live>(task->live);
    task.reset();
    std::lock_guard lock(live->mutex);
    if (--live->count == 0) {
        live->none_left.notify_all();
    }
    return nullptr;
}

void ThreadPerConnection::shutdown() {
    std::unique_lock lock(m_live->mutex);
    m_live->none_left.wait(lock, [this] { return m_live->count == 0; });
}

} // namespace tokend::http::front_door
