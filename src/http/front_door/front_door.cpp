// The front door's connection loop: admit, wait for a request without busy-waiting, let
// cpp-httplib serve it on the connection's stream, flush the answer in one send, and close
// gracefully (write side first, then a bounded drain) so an early answer is never reset away.
#include "http/front_door/front_door.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <optional>
#include <stdexcept>
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

int millis_until(Clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return static_cast<int>(std::max<long long>(left.count(), 0));
}

// Half-close, then read and discard what the client is still sending (bounded in time and
// bytes), then close. Closing with unread input would make the kernel send a reset, which can
// destroy the answer before the client reads it.
void close_gracefully(int fd, std::chrono::milliseconds budget) {
    ::shutdown(fd, SHUT_WR);
    auto deadline = Clock::now() + budget;
    char sink[16 * 1024];
    std::size_t drained = 0;
    while (drained < kMaxDrainBytes) {
        ssize_t n = ::recv(fd, sink, sizeof sink, 0);
        if (n > 0) {
            drained += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
            break;
        }
        int wait = std::min(millis_until(deadline), static_cast<int>(kLingerQuiet.count()));
        pollfd p{fd, POLLIN, 0};
        if (wait <= 0 || ::poll(&p, 1, wait) <= 0) {
            break;
        }
    }
    ::close(fd);
}
} // namespace

FrontDoor::FrontDoor(Limits limits, CannedAnswers canned)
    : m_limits(limits), m_canned(std::move(canned)),
      m_admission(limits.max_connections, limits.max_connections_per_address),
      m_stop_fd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    if (m_stop_fd < 0) {
        throw std::runtime_error("cannot create the server's stop event");
    }
}

FrontDoor::~FrontDoor() {
    ::close(m_stop_fd);
}

void FrontDoor::widen_backlog() {
    ::listen(svr_sock_.load(), kBacklog);
}

void FrontDoor::shut_down() {
    m_stopping = true;
    // Never read, so it stays readable: every connection waiting for a request wakes and closes.
    ::eventfd_write(m_stop_fd, 1);
    stop();
}

void FrontDoor::use_tls(std::shared_ptr<const TlsContext> context) {
    m_tls.store(std::move(context));
}

bool FrontDoor::process_and_close_socket(socket_t fd) {
    g_accepted.fetch_add(1, std::memory_order_relaxed);
    prepare_socket(fd);
    Address remote = address_of(fd, true);
    std::string client = remote.ip;
    std::optional<TlsConnection> tls;
    if (auto context = m_tls.load()) {
        try {
            tls.emplace(*context, fd);
        } catch (const std::exception&) { // out of memory: this thread must not terminate
            close_gracefully(fd, kLingerShort);
            return true;
        }
    }
    ConnectionStream stream(fd, m_stop_fd, m_limits.stream, std::move(remote),
                            address_of(fd, false), tls ? &*tls : nullptr);
    auto ticket = m_admission.admit(client);
    if (!ticket) {
        refuse(fd, stream, tls.has_value());
        return true;
    }
    // The handshake is part of the request's arrival: a client that never finishes it is
    // closed like a slow-drip one, and so is a plain-HTTP client on the TLS port.
    if (tls && !tls->handshake(Clock::now() + m_limits.stream.header_timeout, m_stop_fd)) {
        close_gracefully(fd, kLingerShort);
        return true;
    }
    serve(stream);
    if (tls) {
        tls->close_notify();
    }
    bool short_linger = m_stopping || stream.breach() == Breach::Timeout;
    close_gracefully(fd, short_linger ? kLingerShort : kLinger);
    return true;
}

// Over a cap a plain client gets the canned 503; a TLS client is closed before its handshake
// (answering it would cost a handshake exactly when the server is overloaded).
void FrontDoor::refuse(int fd, ConnectionStream& stream, bool tls) {
    if (!tls) {
        stream.write(m_canned.over_capacity.data(), m_canned.over_capacity.size());
        stream.flush();
    }
    close_gracefully(fd, kLingerShort);
}

void FrontDoor::serve(ConnectionStream& stream) {
    ConnectionState state{&stream};
    t_current = &state;
    const std::function<void(httplib::Request&)> no_setup;
    while (stream.wait_for_request(m_limits.keep_alive_timeout)) {
        stream.begin_request();
        state.close_after = false;
        bool stopping = m_stopping;
        bool client_closes = false;
        bool answered = process_request(stream, stopping, client_closes, no_setup);
        if (stream.breach() == Breach::Timeout && !stream.wrote_this_request()) {
            // The request line itself was late: cpp-httplib gives up silently there.
            stream.write(m_canned.timed_out.data(), m_canned.timed_out.size());
        }
        if (!stream.flush() || !answered || client_closes || stopping || state.close_after ||
            stream.breach() != Breach::None || m_stopping) {
            break;
        }
    }
    t_current = nullptr;
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
