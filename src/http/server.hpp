// The HTTP server: cpp-httplib with tokend's settings, every request handed to the Router.
#pragma once

#include <memory>
#include <string>

#include "core/ip_range.hpp"
#include "http/routes.hpp"

namespace httplib {
class Server;
}

namespace tokend::http {

struct ServerSettings {
    int threads = 64;             // each keep-alive connection holds one while it is open
    int read_timeout_seconds = 5; // idle and slow connections are closed after this
    int keep_alive_seconds = 5;
    // Peers whose X-Real-IP / X-Forwarded-For name the client (--trusted-proxy); empty = none.
    core::IpRanges trusted_proxies;
    bool credentials_revoke =
        true; // POST /api/v1/credentials/revoke (--disable-credentials-revoke)
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

private:
    void configure();

    Services& m_services;
    ServerSettings m_settings;
    Router m_router;
    std::unique_ptr<httplib::Server> m_http;
};

} // namespace tokend::http
