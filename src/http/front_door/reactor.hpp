// Where connections wait between requests and while a request's header block is still arriving
// (SPEC §14): parked in one epoll set until their deadline instead of each holding a thread, and
// served by a small pool of threads that take whichever connection is ready next. A thread that
// finishes one request picks up the next ready connection without sleeping, so a busy server
// does not pay a thread wake-up per request.
//
// The pool grows on demand: a thread about to wait inside a request (a slow body, a write
// waiting for its fsync, a TLS handshake) marks the wait with Reactor::Blocking, and another
// thread takes its place, so a slow or idle connection never delays a ready one.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>

#include "http/front_door/deadline.hpp"

namespace tokend::http::front_door {

class Reactor {
public:
    using Clock = front_door::Clock;

    // Why a guest runs: it has input (or is new), it sat parked past its deadline, or the server
    // is stopping.
    enum class Wake { Input, Deadline, Stop };

    // One connection as the reactor sees it. run() is called on a pool thread, never on two at
    // once; it returns `park` to wait for more input (on `events`, POLLIN or POLLOUT) until
    // `deadline`, or not, in which case the connection is done and the reactor deletes it.
    class Guest {
    public:
        struct Next {
            bool park = false;
            short events = 0;
            Clock::time_point deadline{};
        };
        explicit Guest(int fd) : m_fd(fd) {}
        virtual ~Guest() = default;
        virtual Next run(Wake why) = 0;
        int fd() const { return m_fd; }

    private:
        friend class Reactor;
        int m_fd;
        bool m_registered = false; // in the epoll set (disarmed once its event fired)
        std::multimap<Clock::time_point, Guest*>::iterator m_place{};
    };

    Reactor();
    ~Reactor();
    Reactor(const Reactor&) = delete;
    Reactor& operator=(const Reactor&) = delete;

    // The server's stop event (an eventfd, never read): readable, and so for good, from stop()
    // on. Waits inside a request watch it too.
    int stop_fd() const { return m_stop_fd; }
    // Both take ownership. admit runs the guest soon with Wake::Input; admit_parked parks it for
    // its first input (on the accepting thread that costs no thread wake-up per connection).
    void admit(Guest* guest);
    void admit_parked(Guest* guest, Clock::time_point deadline);
    void stop();             // parked guests run with Wake::Stop; nothing parks any more
    void wait_until_empty(); // after stop(): every guest is gone and every pool thread has left

    // Marks a wait inside a request on the current pool thread (a no-op on other threads).
    class Blocking {
    public:
        Blocking();
        ~Blocking();
        Blocking(const Blocking&) = delete;
        Blocking& operator=(const Blocking&) = delete;

    private:
        Reactor* m_reactor;
    };

private:
    static void* thread_main(void* self);
    void work();
    void lead(std::unique_lock<std::mutex>& lock);
    void park(Guest* guest, Guest::Next next);
    void release_parked(Wake why);
    void staff();
    void spawn();
    void block();
    void unblock();

    const int m_stop_fd;
    const int m_wake_fd;  // written when a guest parks with a deadline before the leader wakes
    const int m_parallel; // threads worth running at once: the number of cores
    int m_epoll;

    std::mutex m_mutex;
    std::condition_variable m_work;  // ready guests, a free leader seat, or stopping
    std::condition_variable m_empty; // the last guest or thread has left
    std::deque<std::pair<Guest*, Wake>> m_ready;
    std::multimap<Clock::time_point, Guest*> m_parked; // by deadline, the nearest first
    bool m_leading = false; // a thread is in epoll_wait; only it takes guests out of m_parked
    Clock::time_point m_leader_wakes_at{}; // while leading: when its epoll_wait times out
    bool m_stopping = false;
    int m_threads = 0;  // pool threads alive
    int m_starting = 0; // of which not yet in work()
    int m_idle = 0;     // of which waiting on m_work
    int m_running = 0;  // of which serving a guest and not inside a Blocking wait
    long m_guests = 0;  // admitted and not yet deleted
};

} // namespace tokend::http::front_door
