// One accepted connection's bytes as cpp-httplib reads and writes them: kept for the whole
// connection (so read-ahead survives between keep-alive requests), buffered both ways, with the
// per-request header deadline and byte caps that cpp-httplib 0.11.4 does not have.
#pragma once

#include <httplib.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "http/front_door/deadline.hpp"
#include "http/front_door/tls.hpp"

namespace tokend::http::front_door {

struct StreamLimits {
    std::chrono::milliseconds header_timeout{10'000}; // whole header block, from its first byte
    std::chrono::milliseconds io_timeout{5'000};      // longest wait for one body read or write
    std::size_t max_header_bytes = 64 * 1024;         // request line + all header lines
    std::size_t max_body_bytes = 256 * 1024;          // raw body bytes, chunk framing included
};

// Why the current request stopped being read. The error handler turns the library's generic
// 400 into the matching status, and the connection is closed after the answer.
enum class Breach { None, Timeout, HeaderTooLarge, BodyTooLarge, ShuttingDown };

struct Address {
    std::string ip;
    int port = 0;
};

class ConnectionStream final : public httplib::Stream {
public:
    // `fd` must be non-blocking; `stop_fd` becomes readable (and stays so) when the server stops.
    // With `tls` (already through its handshake) the bytes go through it instead of recv/send.
    ConnectionStream(int fd, int stop_fd, const StreamLimits& limits, Address remote, Address local,
                     TlsConnection* tls = nullptr);

    // Whether the next request has arrived, without waiting: its whole header block is buffered
    // (Ready; also when it is already malformed, outgrows the buffer or input ends, and the
    // library reads on),
    // not yet (Later: wait for wanted_events() until arrival_deadline()), or the connection is
    // over (Closed: end of input, an error, or an answer that could not be sent).
    enum class Arrival { Ready, Later, Closed };
    Arrival next_request();
    short wanted_events() const; // POLLIN, or what a TLS session needs first
    // After Later: whether part of the next request is buffered, and when its header block is due.
    bool request_begun() const { return m_in_pos < m_in_end; }
    Clock::time_point header_deadline() const { return m_first_byte + m_limits.header_timeout; }
    std::string_view buffered_input() const { return {m_in.get() + m_in_pos, m_in_end - m_in_pos}; }
    void begin_request(); // resets the per-request caps and breach
    Breach breach() const { return m_breach; }
    bool wrote_this_request() const { return m_wrote_this_request; }
    // Sends every byte written so far, waiting at most io_timeout each time the socket is full.
    bool flush();

    bool is_readable() const override;
    // Always true: cpp-httplib's own stream peeks at the socket here and drops the answer of a
    // client that half-closed after its request. A dead peer shows up as a send error instead.
    bool is_writable() const override { return true; }
    ssize_t read(char* ptr, size_t size) override;
    ssize_t write(const char* ptr, size_t size) override;
    void get_remote_ip_and_port(std::string& ip, int& port) const override;
    void get_local_ip_and_port(std::string& ip, int& port) const override;
    socket_t socket() const override { return m_fd; }

private:
    enum class Wait { Ready, TimedOut, Stopped, Failed };
    bool fill();       // reads at least one more byte into m_in; false = stop reading
    ssize_t receive(); // one recv after m_in's unread bytes: > 0, 0 end of input, -1 would block
    bool library_can_take_it();
    Wait wait_readable(Clock::time_point deadline, bool watch_stop) const;
    std::size_t take_header_bytes(const char* data, std::size_t size);

    int m_fd;
    int m_stop_fd;
    TlsConnection* m_tls; // null for plain HTTP
    StreamLimits m_limits;
    Address m_remote;
    Address m_local;

    std::unique_ptr<char[]> m_in;
    std::size_t m_in_pos = 0; // unread input is m_in[m_in_pos, m_in_end)
    std::size_t m_in_end = 0;
    std::string m_out;
    std::size_t m_scanned = 0;         // unread bytes library_can_take_it already looked at
    bool m_first_line_checked = false; // and found the first line well formed
    bool m_eof = false;
    bool m_failed = false;

    // The current request (or the next one, while it arrives).
    Clock::time_point m_first_byte{};
    bool m_first_byte_seen = false;
    bool m_in_body = false;
    std::size_t m_blank_line_match = 0; // how much of kBlankLine the last header bytes matched
    std::size_t m_header_bytes = 0;
    std::size_t m_body_bytes = 0;
    Breach m_breach = Breach::None;
    bool m_wrote_this_request = false;
};

} // namespace tokend::http::front_door
