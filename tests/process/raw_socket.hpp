// A raw TCP client for the front-door tests: connect, send bytes, half-close, read whatever
// comes back until the server closes, and ask whether the server has closed yet.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

namespace tokend::test {

// Thousands of held connections need more descriptors than the usual soft limit; returns the
// limit now in force.
inline long raise_own_open_file_limit() {
    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
    ::getrlimit(RLIMIT_NOFILE, &limit);
    return static_cast<long>(limit.rlim_cur);
}

class RawConnection {
public:
    explicit RawConnection(int port) {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<uint16_t>(port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        m_connected =
            m_fd >= 0 && ::connect(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    }
    ~RawConnection() {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    bool connected() const { return m_connected; }
    int fd() const { return m_fd; }
    // Sends everything unless the server closes first; false then.
    bool send(const std::string& bytes) {
        std::size_t sent = 0;
        while (sent < bytes.size()) {
            ssize_t n = ::send(m_fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) {
                return false;
            }
            sent += static_cast<std::size_t>(n);
        }
        return true;
    }
    void shut_write() { ::shutdown(m_fd, SHUT_WR); }
    // Everything the server sends until it closes, or until `limit` passes (then timed_out()).
    std::string read_until_closed(std::chrono::milliseconds limit = std::chrono::seconds(20)) {
        std::string got;
        auto deadline = std::chrono::steady_clock::now() + limit;
        m_timed_out = false;
        for (;;) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            pollfd p{m_fd, POLLIN, 0};
            if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
                m_timed_out = true;
                return got;
            }
            char buf[16384];
            ssize_t n = ::recv(m_fd, buf, sizeof buf, 0);
            if (n <= 0) {
                return got;
            }
            got.append(buf, static_cast<std::size_t>(n));
        }
    }
    // Reads one response whose body has a Content-Length (the connection may stay open).
    std::string read_response(std::chrono::milliseconds limit = std::chrono::seconds(20)) {
        std::string got;
        auto deadline = std::chrono::steady_clock::now() + limit;
        for (;;) {
            auto end = got.find("\r\n\r\n");
            if (end != std::string::npos) {
                auto at = got.find("Content-Length: ");
                std::size_t length =
                    at == std::string::npos || at > end ? 0 : std::stoul(got.substr(at + 16));
                if (got.size() >= end + 4 + length) {
                    return got;
                }
            }
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            pollfd p{m_fd, POLLIN, 0};
            if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
                return got;
            }
            char buf[16384];
            ssize_t n = ::recv(m_fd, buf, sizeof buf, 0);
            if (n <= 0) {
                return got;
            }
            got.append(buf, static_cast<std::size_t>(n));
        }
    }
    bool timed_out() const { return m_timed_out; }
    // True while the server has neither closed nor sent anything (checked without waiting).
    bool still_open_and_silent() const {
        char byte;
        ssize_t n = ::recv(m_fd, &byte, 1, MSG_DONTWAIT | MSG_PEEK);
        return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }

private:
    int m_fd = -1;
    bool m_connected = false;
    bool m_timed_out = false;
};

inline std::string status_line(const std::string& response) {
    return response.substr(0, response.find("\r\n"));
}

inline std::string body_of(const std::string& response) {
    auto end = response.find("\r\n\r\n");
    return end == std::string::npos ? "" : response.substr(end + 4);
}

} // namespace tokend::test
