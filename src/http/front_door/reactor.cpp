// The reactor's pool. One thread at a time leads: it waits in epoll_wait, moves the connections
// that have input (and those past their deadline) to the ready queue, then serves one
// itself. The others serve ready connections or sleep. Only the leader takes guests out of the
// parked list (and, once stopping, a thread while nobody leads), so an event epoll_wait
// returned always finds its guest still parked.
#include "http/front_door/reactor.hpp"

#include <poll.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>
#include <thread>

#include <spdlog/spdlog.h>

namespace tokend::http::front_door {

namespace {
constexpr std::size_t kStackBytes = 1024 * 1024; // 1/8 of the default; room for sanitizer builds
constexpr int kMaxEvents = 64;
constexpr int kKeptThreads = 4; // idle threads beyond these leave after kIdleThreadLife
constexpr auto kIdleThreadLife = std::chrono::seconds(30);

thread_local Reactor* t_reactor = nullptr; // the reactor whose pool thread this is

std::uint32_t epoll_events(short events) {
    return ((events & POLLOUT) ? EPOLLOUT : 0u) | ((events & POLLIN) ? EPOLLIN : 0u) | EPOLLONESHOT;
}

} // namespace

Reactor::Reactor()
    : m_stop_fd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)),
      m_wake_fd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)),
      m_parallel(std::max(1, static_cast<int>(std::thread::hardware_concurrency()))),
      m_epoll(::epoll_create1(EPOLL_CLOEXEC)) {
    if (m_stop_fd < 0 || m_wake_fd < 0 || m_epoll < 0) {
        throw std::runtime_error("cannot create the server's stop events or epoll set");
    }
    epoll_event stop{};
    stop.events = EPOLLIN; // level-triggered: once stopping, every wait returns at once
    stop.data.ptr = nullptr;
    ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_stop_fd, &stop);
    epoll_event wake{};
    wake.events = EPOLLIN;
    wake.data.ptr = const_cast<int*>(&m_wake_fd);
    ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wake_fd, &wake);
}

Reactor::~Reactor() {
    stop();
    wait_until_empty();
    ::close(m_epoll);
    ::close(m_wake_fd);
    ::close(m_stop_fd);
}

void Reactor::admit(Guest* guest) {
    std::lock_guard lock(m_mutex);
    ++m_guests;
    m_ready.emplace_back(guest, Wake::Input);
    staff();
}

void Reactor::admit_parked(Guest* guest, Clock::time_point deadline) {
    std::lock_guard lock(m_mutex);
    ++m_guests;
    park(guest, {true, POLLIN, deadline});
    staff(); // a leader, if there is none yet; and the guest, if it could not be parked
}

void Reactor::stop() {
    std::lock_guard lock(m_mutex);
    if (m_stopping) {
        return;
    }
    m_stopping = true;
    ::eventfd_write(m_stop_fd, 1); // wakes the leader, if one is in epoll_wait
    m_work.notify_all();
}

void Reactor::wait_until_empty() {
    std::unique_lock lock(m_mutex);
    m_empty.wait(lock, [this] { return m_guests == 0 && m_threads == 0; });
}

void* Reactor::thread_main(void* self) {
    auto* reactor = static_cast<Reactor*>(self);
    t_reactor = reactor;
    reactor->work();
    return nullptr;
}

void Reactor::work() {
    std::unique_lock lock(m_mutex);
    --m_starting;
    for (;;) {
        if (!m_ready.empty()) {
            auto [guest, why] = m_ready.front();
            m_ready.pop_front();
            ++m_running;
            staff();
            lock.unlock();
            Guest::Next next;
            try {
                next = guest->run(why);
            } catch (const std::exception& e) { // the guest closes its socket when deleted
                spdlog::warn("connection dropped: {}", e.what());
            }
            if (!next.park) {
                delete guest;
            }
            lock.lock();
            --m_running;
            if (next.park) {
                park(guest, next);
            } else if (--m_guests == 0) {
                m_work.notify_all();
                m_empty.notify_all();
            }
            continue;
        }
        if (m_stopping && !m_leading && !m_parked.empty()) {
            release_parked(Wake::Stop);
            continue;
        }
        if (m_stopping && m_guests == 0) {
            break;
        }
        if (!m_leading && !m_stopping) {
            lead(lock);
            continue;
        }
        ++m_idle;
        bool woken = m_work.wait_for(lock, kIdleThreadLife) == std::cv_status::no_timeout;
        --m_idle;
        if (!woken && m_ready.empty() && m_threads > kKeptThreads) {
            break;
        }
    }
    if (--m_threads == 0) {
        m_empty.notify_all();
    }
}

void Reactor::lead(std::unique_lock<std::mutex>& lock) {
    m_leading = true;
    m_leader_wakes_at = m_parked.empty() ? Clock::time_point::max() : m_parked.begin()->first;
    int timeout = m_parked.empty() ? -1 : poll_timeout(m_leader_wakes_at);
    lock.unlock();
    epoll_event events[kMaxEvents];
    int n = ::epoll_wait(m_epoll, events, kMaxEvents, timeout);
    lock.lock();
    m_leading = false;
    for (int i = 0; i < n; ++i) {
        if (events[i].data.ptr == &m_wake_fd) {
            eventfd_t count;
            ::eventfd_read(m_wake_fd, &count); // a nearer deadline: the next wait is shorter
            continue;
        }
        auto* guest = static_cast<Guest*>(events[i].data.ptr);
        if (guest == nullptr) {
            continue; // stop_fd: m_stopping is already set
        }
        m_parked.erase(guest->m_place);
        m_ready.emplace_back(guest, Wake::Input);
    }
    auto now = Clock::now();
    while (!m_parked.empty() && m_parked.begin()->first <= now) {
        Guest* guest = m_parked.begin()->second;
        m_parked.erase(m_parked.begin());
        ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, guest->fd(), nullptr);
        guest->m_registered = false;
        m_ready.emplace_back(guest, Wake::Deadline);
    }
    if (!m_ready.empty()) {
        staff(); // this thread serves one next; another only if more wait and a core is free
    }
}

// Called with the lock held, by the thread that just ran `guest`.
void Reactor::park(Guest* guest, Guest::Next next) {
    if (m_stopping) {
        m_ready.emplace_back(guest, Wake::Stop);
        return;
    }
    epoll_event event{};
    event.events = epoll_events(next.events);
    event.data.ptr = guest;
    int op = guest->m_registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    if (::epoll_ctl(m_epoll, op, guest->fd(), &event) != 0) {
        spdlog::warn("cannot watch a connection (error {}); closing it", errno);
        m_ready.emplace_back(guest, Wake::Stop);
        return;
    }
    guest->m_registered = true;
    guest->m_place = m_parked.emplace(next.deadline, guest);
    if (m_leading && next.deadline < m_leader_wakes_at) {
        m_leader_wakes_at = next.deadline;
        ::eventfd_write(m_wake_fd, 1);
    }
}

// With the lock held and no leader in epoll_wait (no event can be in flight for these guests).
void Reactor::release_parked(Wake why) {
    for (const auto& [deadline, guest] : m_parked) {
        ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, guest->fd(), nullptr);
        guest->m_registered = false;
        m_ready.emplace_back(guest, why);
    }
    m_parked.clear();
    m_work.notify_all();
}

// With the lock held, after the ready queue or the number of running threads changed: wake (or
// start) a thread if ready guests wait and a core is free, or if every thread is inside a
// request that waits and nobody would notice new input. A thread busy with a quick request is
// not replaced: it comes back to lead within microseconds, and waking another costs more. A
// thread still starting counts as running, or a burst of connects would start one each.
void Reactor::staff() {
    int busy = m_running + m_starting;
    bool want_server = !m_ready.empty() && busy < m_parallel;
    bool want_leader = !m_leading && !m_stopping && busy == 0;
    if (!want_server && !want_leader) {
        return;
    }
    if (m_idle > 0) {
        m_work.notify_one();
    } else {
        spawn();
    }
}

void Reactor::spawn() {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, kStackBytes);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t thread;
    int rc = pthread_create(&thread, &attr, &Reactor::thread_main, this);
    pthread_attr_destroy(&attr);
    if (rc == 0) {
        ++m_threads;
        ++m_starting;
    } else { // the ready guests wait for the next thread that starts or comes back
        spdlog::warn("cannot start a connection thread (error {})", rc);
    }
}

void Reactor::block() {
    std::lock_guard lock(m_mutex);
    --m_running;
    staff();
}

void Reactor::unblock() {
    std::lock_guard lock(m_mutex);
    ++m_running;
}

Reactor::Blocking::Blocking() : m_reactor(t_reactor) {
    if (m_reactor) {
        m_reactor->block();
    }
}

Reactor::Blocking::~Blocking() {
    if (m_reactor) {
        m_reactor->unblock();
    }
}

} // namespace tokend::http::front_door
