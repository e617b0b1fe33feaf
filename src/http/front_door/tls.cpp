// OpenSSL behind the front door's TLS types: the context from PEM files (TLS 1.2+, the key must
// match the certificate) and a session's handshake, record reads and writes on a non-blocking fd.
#include "http/front_door/tls.hpp"

#include "http/front_door/deadline.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <csignal>
#include <stdexcept>
#include <string>
#include <system_error>

namespace tokend::http::front_door {

namespace {
std::string openssl_reason() {
    unsigned long code = ERR_peek_last_error();
    const char* reason = code != 0 ? ERR_reason_error_string(code) : nullptr;
    ERR_clear_error();
    return reason ? reason : "unknown OpenSSL error";
}

// A regular file we can open: OpenSSL's own message for a directory or a missing file is vague.
void require_readable_file(const std::filesystem::path& path, const char* what) {
    std::error_code ec;
    auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status)) {
        throw std::runtime_error(std::string("TLS ") + what + " " + path.string() +
                                 ": no such file");
    }
    if (!std::filesystem::is_regular_file(status)) {
        throw std::runtime_error(std::string("TLS ") + what + " " + path.string() +
                                 ": not a regular file");
    }
}

} // namespace

std::shared_ptr<const TlsContext> TlsContext::load(const std::filesystem::path& cert_file,
                                                   const std::filesystem::path& key_file) {
    require_readable_file(cert_file, "certificate");
    require_readable_file(key_file, "key");
    SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
    if (ctx == nullptr) {
        throw std::runtime_error("cannot create a TLS context: " + openssl_reason());
    }
    std::shared_ptr<const TlsContext> context(new TlsContext(ctx));
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    // A client that closes without close_notify ends its input like a plain EOF (HTTP frames
    // its own messages); renegotiation is refused.
    SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF | SSL_OP_NO_RENEGOTIATION);
    // Like send(2): partial writes, retried from wherever the buffer now is.
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    if (SSL_CTX_use_certificate_chain_file(ctx, cert_file.c_str()) != 1) {
        throw std::runtime_error("TLS certificate " + cert_file.string() + ": " + openssl_reason());
    }
    // OpenSSL 3 already refuses a mismatched key here; SSL_CTX_check_private_key is the check
    // for versions that do not.
    bool loaded = SSL_CTX_use_PrivateKey_file(ctx, key_file.c_str(), SSL_FILETYPE_PEM) == 1;
    bool mismatch = !loaded && ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH;
    if (!loaded && !mismatch) {
        throw std::runtime_error("TLS key " + key_file.string() + ": " + openssl_reason());
    }
    if (mismatch || SSL_CTX_check_private_key(ctx) != 1) {
        ERR_clear_error();
        throw std::runtime_error("TLS key " + key_file.string() +
                                 " does not match the certificate " + cert_file.string());
    }
    // OpenSSL writes records with write(2), not send(MSG_NOSIGNAL): a peer that vanished must
    // make that write fail with EPIPE, not kill the server.
    std::signal(SIGPIPE, SIG_IGN);
    return context;
}

TlsContext::~TlsContext() {
    SSL_CTX_free(m_ctx);
}

TlsConnection::TlsConnection(const TlsContext& context, int fd)
    : m_ssl(SSL_new(context.native())), m_wanted(POLLIN) {
    if (m_ssl == nullptr || SSL_set_fd(m_ssl, fd) != 1) { // the BIO never closes the fd
        SSL_free(m_ssl);
        throw std::runtime_error("cannot start a TLS session: " + openssl_reason());
    }
    SSL_set_accept_state(m_ssl);
}

TlsConnection::~TlsConnection() {
    SSL_free(m_ssl);
}

bool TlsConnection::handshake(std::chrono::steady_clock::time_point deadline, int stop_fd) {
    for (;;) {
        ERR_clear_error();
        int ret = SSL_do_handshake(m_ssl);
        if (ret == 1) {
            return true;
        }
        if (result(ret) >= 0 || errno != EAGAIN) {
            return false;
        }
        pollfd fds[2] = {{SSL_get_fd(m_ssl), m_wanted, 0}, {stop_fd, POLLIN, 0}};
        int ready = ::poll(fds, 2, poll_timeout(deadline));
        if (ready < 0 && errno == EINTR) {
            continue;
        }
        if (ready <= 0 || fds[1].revents != 0) {
            return false; // late (like a slow-drip request), failed, or the server stops
        }
    }
}

ssize_t TlsConnection::read(char* data, std::size_t size) {
    ERR_clear_error();
    return result(SSL_read(m_ssl, data, static_cast<int>(std::min<std::size_t>(size, INT_MAX))));
}

ssize_t TlsConnection::write(const char* data, std::size_t size) {
    ERR_clear_error();
    return result(SSL_write(m_ssl, data, static_cast<int>(std::min<std::size_t>(size, INT_MAX))));
}

// Maps an SSL_* return value onto recv/send's: > 0, 0 for the peer's close, -1 with errno.
ssize_t TlsConnection::result(int ret) {
    if (ret > 0) {
        return ret;
    }
    switch (SSL_get_error(m_ssl, ret)) {
    case SSL_ERROR_ZERO_RETURN:
        return 0;
    case SSL_ERROR_WANT_READ:
        m_wanted = POLLIN;
        errno = EAGAIN;
        return -1;
    case SSL_ERROR_WANT_WRITE:
        m_wanted = POLLOUT;
        errno = EAGAIN;
        return -1;
    default: // a protocol error (e.g. plain HTTP on the TLS port) or a socket error
        m_broken = true;
        ERR_clear_error();
        errno = EPROTO;
        return -1;
    }
}

bool TlsConnection::has_pending() const {
    return SSL_pending(m_ssl) > 0;
}

void TlsConnection::close_notify() {
    if (!m_broken && SSL_is_init_finished(m_ssl)) {
        ERR_clear_error();
        SSL_shutdown(m_ssl); // one attempt: never waits for the peer
        ERR_clear_error();
    }
}

} // namespace tokend::http::front_door
