// The front door's connections: admit, serve each request cpp-httplib parses on the connection's
// stream and flush its answer in one send, park the connection in the reactor between requests,
// and close gracefully (write side first, then a bounded drain) so an early answer is never
// reset away.
#include "http/front_door/front_door.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <optional>
#include <string_view>

// The override below depends on cpp-httplib 0.11.4's private virtual process_and_close_socket
// and protected process_request(Stream&, bool, bool&, setup). Upstream changed both later
// (v0.18.0, v0.33.0): re-check them before allowing another version.
static_assert(std::string_view(CPPHTTPLIB_VERSION) == "0.11.4",
              "http/front_door overrides cpp-httplib 0.11.4 internals; re-check them first");

namespace tokend::http::front_door {

namespace {
constexpr int kBacklog = 4096; // the kernel caps it at net.core.somaxconn
constexpr std::size_t kMaxDrainBytes = 8 * 1024 * 1024;
constexpr std::chrono::milliseconds kLinger{2000};     // whole drain after an answer
constexpr std::chrono::milliseconds kLingerQuiet{500}; // gives up once input pauses this long
constexpr std::chrono::milliseconds kLingerShort{250}; // slow-drip clients, refusals, shutdown

std::atomic<std::uint64_t> g_accepted{0};

struct ConnectionState {
    ConnectionStream* stream = nullptr;
    bool close_after = false;
};
thread_local ConnectionState* t_current = nullptr;

Address address_of(int fd, bool peer) {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    auto* sa = reinterpret_cast<sockaddr*>(&addr);
    if ((peer ? ::getpeername(fd, sa, &len) : ::getsockname(fd, sa, &len)) != 0) {
        return {};
    }
    char host[NI_MAXHOST] = "";
    char port[NI_MAXSERV] = "";
    if (::getnameinfo(sa, len, host, sizeof host, port, sizeof port,
                      NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
        return {};
    }
    return {host, std::atoi(port)};
}

void prepare_socket(int fd) {
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL, 0) | O_NONBLOCK);
    int on = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
}

// Reads and discards what a closing connection's client is still sending: true while more may
// come (the socket would block), false once it is over (end of input, an error, or the byte cap).
bool drain_input(int fd, std::size_t& drained) {
    char sink[16 * 1024];
    while (drained < kMaxDrainBytes) {
        ssize_t n = ::recv(fd, sink, sizeof sink, 0);
        if (n > 0) {
            drained += static_cast<std::size_t>(n);
        } else if (n == 0 || errno != EINTR) {
            return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
        }
    }
    return false;
}

// cpp-httplib's task queue, replaced: the accept loop hands each socket straight to the reactor
// (process_and_close_socket only wraps it), and shutting down waits for every connection.
class HandToReactor final : public httplib::TaskQueue {
public:
    explicit HandToReactor(Reactor& reactor) : m_reactor(reactor) {}
    void enqueue(std::function<void()> fn) override { fn(); }
    void shutdown() override {
        m_reactor.stop();
        m_reactor.wait_until_empty();
    }

private:
    Reactor& m_reactor;
};
} // namespace

// One accepted connection: let in or refused, its TLS session, and its requests, served while
// they keep arriving and parked in the reactor whenever the client has nothing more to say yet.
class FrontDoor::Connection final : public Reactor::Guest {
public:
    Connection(FrontDoor& door, int fd, Address remote, std::unique_ptr<TlsConnection> tls,
               Admission::Ticket ticket)
        : Guest(fd), m_door(door), m_tls(std::move(tls)),
          m_stream(fd, door.m_reactor.stop_fd(), door.m_limits.stream, std::move(remote),
                   address_of(fd, false), m_tls.get()),
          m_ticket(std::move(ticket)), m_accepted(Clock::now()) {}
    ~Connection() override {
        if (!m_closed) {
            ::close(fd());
        }
    }

    Next run(Reactor::Wake why) override {
        if (m_closing) {
            return why == Reactor::Wake::Input ? keep_draining() : finish_closing(why);
        }
        if (why != Reactor::Wake::Input) {  // parked past its deadline, or stopping
            if (m_stream.request_begun()) { // its header block was late, or will never be read
                answer(why == Reactor::Wake::Deadline ? m_door.m_canned.timed_out
                                                      : m_door.m_canned.over_capacity);
            }
            return close(kLingerShort);
        }
        if (!m_started && !start()) {
            return close(kLingerShort);
        }
        return serve();
    }

private:
    // Over a cap a plain client gets the canned 503; a TLS client is closed before its handshake
    // (answering it would cost a handshake exactly when the server is overloaded). The handshake
    // is part of the request's arrival: a client that never finishes it is closed like a
    // slow-drip one, and so is a plain-HTTP client on the TLS port. False: close it.
    bool start() {
        m_started = true;
        if (!m_ticket) {
            if (!m_tls) {
                answer(m_door.m_canned.over_capacity);
            }
            return false;
        }
        if (m_tls) {
            Reactor::Blocking blocking;
            if (!m_tls->handshake(m_accepted + m_door.m_limits.stream.header_timeout,
                                  m_door.m_reactor.stop_fd())) {
                return false;
            }
            m_secure = true;
        }
        return true;
    }

    Next serve() {
        ConnectionState state{&m_stream};
        t_current = &state;
        const std::function<void(httplib::Request&)> no_setup;
        Next next;
        for (;;) {
            auto arrival = m_stream.next_request();
            if (arrival == ConnectionStream::Arrival::Later) {
                auto deadline = m_stream.request_begun()
                                    ? m_stream.header_deadline()
                                    : Clock::now() + m_door.m_limits.keep_alive_timeout;
                next = {true, m_stream.wanted_events(), deadline};
                break;
            }
            if (arrival == ConnectionStream::Arrival::Closed) {
                break;
            }
            m_stream.begin_request();
            state.close_after = false;
            bool stopping = m_door.m_stopping;
            bool client_closes = false;
            bool answered;
            if (may_wait(m_stream.buffered_input())) {
                Reactor::Blocking blocking;
                answered = m_door.process_request(m_stream, stopping, client_closes, no_setup);
            } else {
                answered = m_door.process_request(m_stream, stopping, client_closes, no_setup);
            }
            if (m_stream.breach() == Breach::Timeout && !m_stream.wrote_this_request()) {
                // The request line itself was late: cpp-httplib gives up silently there.
                answer(m_door.m_canned.timed_out);
            }
            if (!m_stream.flush() || !answered || client_closes || stopping || state.close_after ||
                m_stream.breach() != Breach::None || m_door.m_stopping) {
                break;
            }
        }
        t_current = nullptr;
        if (!next.park) {
            bool short_linger = m_door.m_stopping || m_stream.breach() == Breach::Timeout;
            return close(short_linger ? kLingerShort : kLinger);
        }
        return next;
    }

    // Sends one of the canned answers, which end the connection (Connection: close).
    void answer(const std::string& canned) {
        m_stream.write(canned.data(), canned.size());
        m_stream.flush();
    }

    // A request that changes something waits for its commit's fsync; reads and checks do not.
    static bool may_wait(std::string_view request) {
        return !(request.starts_with("GET ") || request.starts_with("HEAD ") ||
                 request.starts_with("OPTIONS "));
    }

    // Half-close, then read and discard what the client is still sending (bounded in time and
    // bytes) while parked in the reactor, then close. Closing with unread input would make the
    // kernel send a reset, which can destroy the answer before the client reads it.
    Next close(std::chrono::milliseconds linger) {
        if (m_secure) {
            m_tls->close_notify();
        }
        ::shutdown(fd(), SHUT_WR);
        m_closing = true;
        m_linger_end = Clock::now() + linger;
        return keep_draining();
    }

    Next keep_draining() {
        if (!drain_input(fd(), m_drained) || Clock::now() >= m_linger_end) {
            return finish_closing(Reactor::Wake::Deadline);
        }
        return {true, POLLIN, std::min(m_linger_end, Clock::now() + kLingerQuiet)};
    }

    // Input paused past kLingerQuiet, the linger ended, or the drain is over; when stopping (the
    // reactor parks nothing any more) the rest of the linger is spent here.
    Next finish_closing(Reactor::Wake why) {
        pollfd p{fd(), POLLIN, 0};
        while (why == Reactor::Wake::Stop && drain_input(fd(), m_drained)) {
            int wait = std::min(poll_timeout(m_linger_end), static_cast<int>(kLingerQuiet.count()));
            Reactor::Blocking blocking;
            if (wait <= 0 || ::poll(&p, 1, wait) <= 0) {
                break;
            }
        }
        ::close(fd());
        m_closed = true;
        return {};
    }

    FrontDoor& m_door;
    std::unique_ptr<TlsConnection> m_tls; // null for plain HTTP
    ConnectionStream m_stream;
    Admission::Ticket m_ticket;   // empty: over a cap, refused on the first run
    Clock::time_point m_accepted; // the handshake is due header_timeout after this
    bool m_started = false;
    bool m_secure = false;  // the TLS handshake finished
    bool m_closing = false; // answered and half-closed; draining until m_linger_end
    Clock::time_point m_linger_end{};
    std::size_t m_drained = 0;
    bool m_closed = false;
};

FrontDoor::FrontDoor(Limits limits, CannedAnswers canned)
    : m_limits(limits), m_canned(std::move(canned)),
      m_admission(limits.max_connections, limits.max_connections_per_address) {
    new_task_queue = [this] { return new HandToReactor(m_reactor); };
}

void FrontDoor::widen_backlog() {
    ::listen(svr_sock_.load(), kBacklog);
}

void FrontDoor::shut_down() {
    m_stopping = true;
    // Requests still arriving stop waiting, the reactor closes every parked connection, and
    // requests in flight finish.
    m_reactor.stop();
    stop();
}

void FrontDoor::use_tls(std::shared_ptr<const TlsContext> context) {
    m_tls.store(std::move(context));
}

// On the accept thread: wrap the socket and park it in the reactor until its first bytes arrive;
// the caps are counted here, everything that may wait (the refusal, the handshake, the requests)
// runs on the reactor's pool.
bool FrontDoor::process_and_close_socket(socket_t fd) {
    g_accepted.fetch_add(1, std::memory_order_relaxed);
    prepare_socket(fd);
    try {
        std::unique_ptr<TlsConnection> tls;
        if (auto context = m_tls.load()) {
            tls = std::make_unique<TlsConnection>(*context, fd);
        }
        Address remote = address_of(fd, true);
        auto ticket = m_admission.admit(remote.ip);
        bool refused = !ticket;
        // A TLS client has the header timeout to finish its handshake (start()).
        auto first_input_due =
            Clock::now() + (tls ? m_limits.stream.header_timeout : m_limits.keep_alive_timeout);
        auto* connection =
            new Connection(*this, fd, std::move(remote), std::move(tls), std::move(ticket));
        if (refused) {
            m_reactor.admit(connection); // answered at once
        } else {
            m_reactor.admit_parked(connection, first_input_due);
        }
    } catch (const std::exception&) { // out of memory or threads: drop this connection only
        ::close(fd);
    }
    return true;
}

std::uint64_t connections_accepted() {
    return g_accepted.load(std::memory_order_relaxed);
}

Breach current_breach() {
    return t_current ? t_current->stream->breach() : Breach::None;
}

void close_after_response() {
    if (t_current) {
        t_current->close_after = true;
    }
}

} // namespace tokend::http::front_door
