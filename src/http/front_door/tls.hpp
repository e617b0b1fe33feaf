// TLS for the front door (SPEC §13): a server context built from PEM files, and one
// connection's TLS session over a non-blocking socket. OpenSSL headers appear only in tls.cpp.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>

struct ssl_ctx_st;
struct ssl_st;

namespace tokend::http::front_door {

// An SSL_CTX for TLS 1.2+ with one certificate chain and its key. Immutable once built, so
// connections share it; a reload builds a new one and swaps the pointer.
class TlsContext {
public:
    // Throws std::runtime_error with a one-line reason: a file missing or unreadable, not PEM,
    // or a key that does not match the certificate.
    static std::shared_ptr<const TlsContext> load(const std::filesystem::path& cert_file,
                                                  const std::filesystem::path& key_file);
    ~TlsContext();
    TlsContext(const TlsContext&) = delete;
    TlsContext& operator=(const TlsContext&) = delete;

    ssl_ctx_st* native() const { return m_ctx; }

private:
    explicit TlsContext(ssl_ctx_st* ctx) : m_ctx(ctx) {}
    ssl_ctx_st* m_ctx;
};

// One accepted connection's TLS session. read/write behave like recv/send on a non-blocking
// socket (> 0 bytes, 0 end of input, -1 with errno EAGAIN when it would block, else failed);
// after EAGAIN, poll the socket for wanted_events() (a TLS read may need to write and back).
class TlsConnection {
public:
    TlsConnection(const TlsContext& context, int fd); // SSL_new keeps its own context reference
    ~TlsConnection();
    TlsConnection(const TlsConnection&) = delete;
    TlsConnection& operator=(const TlsConnection&) = delete;

    // The server side of the handshake, finished by `deadline`; false if late, failed (e.g. a
    // plain-HTTP client) or the server stops (stop_fd readable).
    bool handshake(std::chrono::steady_clock::time_point deadline, int stop_fd);
    ssize_t read(char* data, std::size_t size);
    ssize_t write(const char* data, std::size_t size);
    bool has_pending() const; // decrypted bytes already buffered
    short wanted_events() const { return m_wanted; }
    // Sends close_notify without waiting for the peer's (the socket drain follows).
    void close_notify();

private:
    ssize_t result(int ret);

    ssl_st* m_ssl;
    short m_wanted;
    bool m_broken = false; // a fatal error: no close_notify may follow
};

} // namespace tokend::http::front_door
