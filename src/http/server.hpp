// The HTTP server: cpp-httplib with tokend's settings, every request handed to the Router.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "core/ip_range.hpp"
#include "http/routes.hpp"

namespace tokend::http::front_door {
class FrontDoor;
}

namespace tokend::http {

// The front door's limits (SPEC §14); connections wait in its reactor between requests.
struct ServerSettings {
    int header_timeout_seconds = 10; // the whole header block, from its first byte (else 408)
    int keep_alive_seconds = 5;      // an idle keep-alive connection is closed after this
    int io_timeout_seconds = 5;      // longest wait for one body read or one response write
    int max_connections = 4096;      // beyond a cap: a 503 envelope, then close
    int max_connections_per_address = 256;
    // Both set: HTTPS with this PEM certificate chain and key (SPEC §13); both empty: HTTP.
    std::filesystem::path tls_cert_file;
    std::filesystem::path tls_key_file;
    bool tls() const { return !tls_cert_file.empty(); }
    // Peers whose X-Real-IP / X-Forwarded-For name the client (--trusted-proxy); empty = none.
    core::IpRanges trusted_proxies;
    // POST /api/v1/credentials/revoke (--disable-credentials-revoke turns it off).
    bool credentials_revoke = true;
};

class Server {
public:
    Server(Services& services, ServerSettings settings);
    ~Server();

    // Binds host:port (port 0 picks a free one) and returns the real port; throws on failure.
    int bind(const std::string& host, int port);
    void run(); // serves until stop(); in-flight requests finish first
    void stop();
    bool is_running() const;
    std::vector<RouteEntry> routes() const { return m_router.routes(); }
    // Re-reads the TLS certificate and key (SIGHUP). New connections use them; open ones keep
    // theirs. Throws std::runtime_error, keeping the old ones, if they cannot be loaded.
    void reload_tls();

private:
    void configure();

    Services& m_services;
    ServerSettings m_settings;
    Router m_router;
    std::unique_ptr<front_door::FrontDoor> m_http;
};

} // namespace tokend::http
