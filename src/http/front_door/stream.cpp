// The connection stream: try the syscall first and poll only when it would block, one send per
// response (the library's header and body writes are buffered), and the per-request limits.
#include "http/front_door/stream.hpp"

#include "http/front_door/reactor.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace tokend::http::front_door {

namespace {
constexpr std::size_t kReadChunk = 16 * 1024;
constexpr std::size_t kFlushAt = 64 * 1024; // large static assets are sent in pieces
// The end of a header block as cpp-httplib 0.11.4 reads it: a line that is just "\r\n", so
// "\r\n" right after the previous line's "\n" (a line ended by a bare "\n" is skipped, not
// ended on). Both the arrival check and the header cap stop here.
constexpr std::string_view kBlankLine = "\n\r\n";

} // namespace

ConnectionStream::ConnectionStream(int fd, int stop_fd, const StreamLimits& limits, Address remote,
                                   Address local, TlsConnection* tls)
    : m_fd(fd), m_stop_fd(stop_fd), m_tls(tls), m_limits(limits), m_remote(std::move(remote)),
      m_local(std::move(local)), m_in(new char[kReadChunk]) {}

// Reads until the header block is whole, so a client that sends its headers slowly waits parked
// in the reactor instead of holding a thread (cpp-httplib reads headers with blocking reads).
ConnectionStream::Arrival ConnectionStream::next_request() {
    for (;;) {
        if (m_in_pos < m_in_end) {
            if (!m_first_byte_seen) {
                m_first_byte_seen = true;
                m_first_byte = Clock::now();
            }
            if (library_can_take_it() || m_in_end - m_in_pos == kReadChunk) {
                return Arrival::Ready; // pipelined answers stay buffered, sent in one write
            }
        }
        if (!flush()) {
            return Arrival::Closed;
        }
        ssize_t got = receive();
        if (got > 0) {
            continue;
        }
        if (got < 0 && !m_failed) {
            return Arrival::Later;
        }
        // End of input or an error: the library reads what came, as it would have anyway.
        return m_in_pos < m_in_end ? Arrival::Ready : Arrival::Closed;
    }
}

// Whether cpp-httplib can read the buffered request without waiting: its header block is whole
// (kBlankLine), or it is already broken in a way the library refuses at once with a 400, as it
// did before headers were parked: a first line that is not "METHOD TARGET HTTP/1.1" (or 1.0)
// ended by CRLF, or lines ended by a bare "\n". Each call looks only at the bytes that arrived
// since the last one (and the two before them), so a header block sent in many small pieces
// costs one pass.
bool ConnectionStream::library_can_take_it() {
    std::string_view input = buffered_input();
    std::size_t from = m_scanned < kBlankLine.size() ? 0 : m_scanned - (kBlankLine.size() - 1);
    m_scanned = input.size();
    std::string_view unseen = input.substr(from);
    if (unseen.find(kBlankLine) != std::string_view::npos ||
        unseen.find("\n\n") != std::string_view::npos) {
        return true;
    }
    if (m_first_line_checked) {
        return false;
    }
    auto first_line_end = input.find('\n');
    if (first_line_end == std::string_view::npos) {
        return false;
    }
    m_first_line_checked = true;
    std::string_view line = input.substr(0, first_line_end + 1);
    bool well_formed = std::count(line.begin(), line.end(), ' ') == 2 &&
                       (line.ends_with(" HTTP/1.1\r\n") || line.ends_with(" HTTP/1.0\r\n"));
    return !well_formed;
}

short ConnectionStream::wanted_events() const {
    return m_tls ? m_tls->wanted_events() : short{POLLIN};
}

void ConnectionStream::begin_request() {
    m_first_byte_seen = false; // the next request's deadline runs from its own first byte
    m_in_body = false;
    m_blank_line_match = 0;
    m_header_bytes = 0;
    m_body_bytes = 0;
    m_breach = Breach::None;
    m_wrote_this_request = false;
}

bool ConnectionStream::is_readable() const {
    if (m_in_pos < m_in_end || (m_tls && m_tls->has_pending())) {
        return true;
    }
    pollfd p{m_fd, POLLIN, 0};
    return ::poll(&p, 1, 0) > 0;
}

ssize_t ConnectionStream::read(char* ptr, size_t size) {
    if (size == 0) {
        return 0;
    }
    if (m_in_pos == m_in_end && !fill()) {
        return m_eof && m_breach == Breach::None ? 0 : -1;
    }
    const char* data = m_in.get() + m_in_pos;
    std::size_t n = std::min(size, m_in_end - m_in_pos);
    if (!m_in_body) {
        n = take_header_bytes(data, n);
        if (m_header_bytes > m_limits.max_header_bytes) {
            m_breach = Breach::HeaderTooLarge;
            return -1;
        }
    } else {
        m_body_bytes += n;
        if (m_body_bytes > m_limits.max_body_bytes) {
            m_breach = Breach::BodyTooLarge;
            return -1;
        }
    }
    std::memcpy(ptr, data, n);
    m_in_pos += n;
    m_scanned = 0; // the library took bytes: the next arrival check starts afresh
    m_first_line_checked = false;
    return static_cast<ssize_t>(n);
}

// Counts header bytes up to and including the blank line that ends the header block, so the
// header deadline and cap stop exactly there (cpp-httplib reads headers a byte at a time).
std::size_t ConnectionStream::take_header_bytes(const char* data, std::size_t size) {
    std::size_t i = 0;
    while (i < size && !m_in_body) {
        char c = data[i++];
        if (c == kBlankLine[m_blank_line_match]) {
            m_in_body = ++m_blank_line_match == kBlankLine.size();
        } else {
            m_blank_line_match = c == kBlankLine[0] ? 1 : 0;
        }
    }
    m_header_bytes += i;
    return i;
}

bool ConnectionStream::fill() {
    // An answer already written (e.g. "100 Continue") must reach the client before we wait for
    // the bytes it is waiting to send.
    if (!flush()) {
        return false;
    }
    for (;;) {
        ssize_t got = receive();
        if (got > 0) {
            return true;
        }
        if (got == 0 || m_failed) {
            return false;
        }
        Wait wait = m_in_body ? wait_readable(Clock::now() + m_limits.io_timeout, false)
                              : wait_readable(m_first_byte + m_limits.header_timeout, true);
        if (wait == Wait::TimedOut) {
            m_breach = Breach::Timeout;
            return false;
        }
        if (wait == Wait::Stopped) {
            m_breach = Breach::ShuttingDown; // a request still arriving is not in flight yet
            return false;
        }
        if (wait == Wait::Failed) {
            m_failed = true;
            return false;
        }
    }
}

// Called with room in m_in: the unread bytes move to its front and the new ones follow them.
ssize_t ConnectionStream::receive() {
    std::size_t unread = m_in_end - m_in_pos;
    if (unread > 0 && m_in_pos > 0) {
        std::memmove(m_in.get(), m_in.get() + m_in_pos, unread);
    }
    m_in_pos = 0;
    m_in_end = unread;
    char* into = m_in.get() + unread;
    std::size_t room = kReadChunk - unread;
    ssize_t got;
    do {
        got = m_tls ? m_tls->read(into, room) : ::recv(m_fd, into, room, 0);
    } while (got < 0 && errno == EINTR);
    if (got > 0) {
        m_in_end += static_cast<std::size_t>(got);
    }
    if (got == 0) {
        m_eof = true;
    } else if (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
        m_failed = true;
    }
    return got > 0 ? got : (got == 0 ? 0 : -1);
}

ConnectionStream::Wait ConnectionStream::wait_readable(Clock::time_point deadline,
                                                       bool watch_stop) const {
    // A TLS read may be waiting to write (and a write to read): poll for what it wants.
    pollfd fds[2] = {{m_fd, wanted_events(), 0}, {m_stop_fd, POLLIN, 0}};
    Reactor::Blocking blocking;
    for (;;) {
        int ready = ::poll(fds, watch_stop ? 2 : 1, poll_timeout(deadline));
        if (ready < 0 && errno == EINTR) {
            continue;
        }
        if (ready < 0) {
            return Wait::Failed;
        }
        if (ready == 0) {
            return Wait::TimedOut;
        }
        if (fds[0].revents != 0) {
            return Wait::Ready; // data, end of input or an error: the next recv tells which
        }
        return Wait::Stopped;
    }
}

ssize_t ConnectionStream::write(const char* ptr, size_t size) {
    m_out.append(ptr, size);
    m_wrote_this_request = true;
    if (m_out.size() >= kFlushAt && !flush()) {
        return -1;
    }
    return static_cast<ssize_t>(size);
}

bool ConnectionStream::flush() {
    std::size_t sent = 0;
    while (sent < m_out.size() && !m_failed) {
        const char* data = m_out.data() + sent;
        std::size_t size = m_out.size() - sent;
        ssize_t n = m_tls ? m_tls->write(data, size) : ::send(m_fd, data, size, MSG_NOSIGNAL);
        if (n > 0) {
            sent += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            pollfd p{m_fd, m_tls ? m_tls->wanted_events() : short{POLLOUT}, 0};
            int timeout = static_cast<int>(m_limits.io_timeout.count());
            Reactor::Blocking blocking;
            if (::poll(&p, 1, timeout) > 0) {
                continue;
            }
        }
        m_failed = true;
    }
    m_out.clear();
    return !m_failed;
}

void ConnectionStream::get_remote_ip_and_port(std::string& ip, int& port) const {
    ip = m_remote.ip;
    port = m_remote.port;
}

void ConnectionStream::get_local_ip_and_port(std::string& ip, int& port) const {
    ip = m_local.ip;
    port = m_local.port;
}

} // namespace tokend::http::front_door
