// cpp-httplib 0.11.4 setup. Its defaults are unsafe or slow for us, so each is set explicitly:
// an exception handler (it would copy what() into a header), a payload limit (unlimited by
// default), an error handler that fills only empty bodies (it runs for every status >= 400),
// and TCP_NODELAY. Connections themselves are the front door's (http/front_door/).
#include "http/server.hpp"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <stdexcept>

#include "http/access_log.hpp"
#include "http/authenticate.hpp"
#include "http/client_address.hpp"
#include "http/envelope.hpp"
#include "http/front_door/front_door.hpp"
#include "http/json_body.hpp"

namespace tokend::http {

namespace {
// Applied to every response, API and page alike (SPEC §7).
void add_security_headers(httplib::Response& res) {
    res.set_header(
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_header("X-Frame-Options", "DENY");
}

// The methods registered below; others keep cpp-httplib's own answer.
bool is_routed_method(const std::string& method) {
    for (const char* routed : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
        if (method == routed) {
            return true;
        }
    }
    return false;
}

std::string status_message(int status) {
    switch (status) {
    case 400:
        return "The request could not be read: check the request line and headers (each header "
               "line at most 8 KiB).";
    case 404:
        return "No such endpoint. Check the method and path.";
    case 408:
        return "The request headers did not arrive in time.";
    case 413:
        return "The request body must be at most 64 KiB.";
    case 414:
        return "The request path is too long.";
    case 431:
        return "The request headers are too large.";
    case 503:
        return "The server is at its connection limit or shutting down. Try again shortly.";
    default:
        return "The request failed.";
    }
}

// cpp-httplib answers 400 to any request it could not read; the front door knows why.
int status_for_unreadable(front_door::Breach breach) {
    switch (breach) {
    case front_door::Breach::Timeout:
        return 408;
    case front_door::Breach::HeaderTooLarge:
        return 431;
    case front_door::Breach::BodyTooLarge:
        return 413;
    case front_door::Breach::ShuttingDown:
        return 503;
    case front_door::Breach::None:
        break;
    }
    return 400;
}

// A declared body over the limit is refused before a byte of it is read (cpp-httplib 0.11.4
// would read and discard a body of any declared size first).
bool declares_too_large_body(const httplib::Request& req) {
    const std::string& length = req.get_header_value("Content-Length");
    if (length.empty() || length.find_first_not_of("0123456789") != std::string::npos) {
        return false; // absent or malformed: cpp-httplib's own answer
    }
    return length.size() > 18 || std::stoull(length) > kMaxBodyBytes;
}

// The bytes of an answer sent without a request: status, security headers, envelope, close.
std::string canned_answer(int status, const char* reason) {
    httplib::Response res;
    write_error(res, status, status_message(status));
    add_security_headers(res);
    std::string bytes = "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\n";
    for (const auto& [name, value] : res.headers) {
        bytes += name + ": " + value + "\r\n";
    }
    bytes += "Content-Length: " + std::to_string(res.body.size()) + "\r\n";
    bytes += "Connection: close\r\n\r\n" + res.body;
    return bytes;
}

front_door::Limits front_door_limits(const ServerSettings& settings) {
    front_door::Limits limits;
    limits.stream.header_timeout = std::chrono::seconds(settings.header_timeout_seconds);
    limits.stream.io_timeout = std::chrono::seconds(settings.io_timeout_seconds);
    // Chunk framing counts too: small chunks cost a few bytes each on top of the body.
    limits.stream.max_body_bytes = 4 * kMaxBodyBytes;
    limits.keep_alive_timeout = std::chrono::seconds(settings.keep_alive_seconds);
    limits.max_connections = settings.max_connections;
    limits.max_connections_per_address = settings.max_connections_per_address;
    return limits;
}
} // namespace

Server::Server(Services& services, ServerSettings settings)
    : m_services(services), m_settings(settings),
      m_router(
          [&services](const httplib::Request& req, const core::Origin& origin) {
              return authenticate(req, origin, services.authenticator, services.sessions);
          },
          [this](const httplib::Request& req) {
              return client_address(req, m_settings.trusted_proxies);
          }),
      m_http(std::make_unique<front_door::FrontDoor>(
          front_door_limits(settings),
          front_door::CannedAnswers{canned_answer(503, "Service Unavailable"),
                                    canned_answer(408, "Request Timeout")})) {
    add_token_routes(m_router, m_services);
    add_account_routes(m_router, m_services);
    add_website_routes(m_router, m_services);
    add_session_routes(m_router, m_services, settings.tls());
    add_check_routes(m_router, m_services);
    add_introspect_routes(m_router, m_services);
    add_audit_routes(m_router, m_services);
    if (m_settings.credentials_revoke) {
        add_credential_routes(m_router, m_services); // otherwise a 404 like any unknown path
    }
    add_static_routes(m_router);
    add_openapi_routes(m_router);
    configure();
    if (settings.tls()) {
        reload_tls(); // at start, a bad certificate or key stops the server from starting
    }
}

void Server::reload_tls() {
    m_http->use_tls(
        front_door::TlsContext::load(m_settings.tls_cert_file, m_settings.tls_key_file));
}

Server::~Server() = default;

void Server::configure() {
    auto dispatch = [this](const httplib::Request& req, httplib::Response& res) {
        m_router.dispatch(req, res);
    };
    m_http->Get(".*", dispatch);
    m_http->Post(".*", dispatch);
    m_http->Put(".*", dispatch);
    m_http->Patch(".*", dispatch);
    m_http->Delete(".*", dispatch);
    m_http->Options(".*", dispatch);
    // A request without Content-Length or Transfer-Encoding has no body (RFC 9112 §6.3), so it
    // is routed here, before cpp-httplib 0.11.4 would std::regex_match ".*" against its path (a
    // large share of a /api/v1/auth/check) or answer a body-less POST/PUT/PATCH with a bare 400.
    m_http->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
        access_log::begin();
        if (declares_too_large_body(req)) {
            write_error(res, 413, status_message(413));
            res.set_header("Connection", "close");
            front_door::close_after_response(); // the unread body must not become a request
            return httplib::Server::HandlerResponse::Handled;
        }
        if (is_routed_method(req.method) && !req.has_header("Content-Length") &&
            !req.has_header("Transfer-Encoding")) {
            m_router.dispatch(req, res);
            return httplib::Server::HandlerResponse::Handled;
        }
        return httplib::Server::HandlerResponse::Unhandled;
    });
    // With `Expect: 100-continue` the client waits before sending the body: refuse an
    // oversized one right there instead of inviting the body only to discard it.
    m_http->set_expect_100_continue_handler(
        [](const httplib::Request& req, httplib::Response& res) {
            if (!declares_too_large_body(req)) {
                return 100;
            }
            write_error(res, 413, status_message(413));
            res.set_header("Connection", "close");
            front_door::close_after_response();
            return 413;
        });
    m_http->set_exception_handler(
        [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
            try {
                std::rethrow_exception(ep);
            } catch (const std::exception& error) {
                spdlog::error("internal error id={} method={} path={}: {}",
                              access_log::request_id(), access_log::loggable_method(req.method),
                              access_log::loggable_path(req.path), error.what());
            } catch (...) {
                spdlog::error("internal error id={} method={} path={}: unknown exception",
                              access_log::request_id(), access_log::loggable_method(req.method),
                              access_log::loggable_path(req.path));
            }
            res.headers.clear();
            write_error(res, 500, "Internal server error. The details are in the server log.");
        });
    m_http->set_error_handler(
        httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
            if (res.status == 400 && front_door::current_breach() != front_door::Breach::None) {
                res.status = status_for_unreadable(front_door::current_breach());
                res.set_header("Connection", "close"); // the front door closes after it
            } else if (res.status == 400 && res.body.empty()) {
                // cpp-httplib could not read the request (a broken first line, header or body
                // framing): where it ended is unknown, so what follows must not become a request.
                res.set_header("Connection", "close");
                front_door::close_after_response();
            }
            if (res.body.empty()) {
                write_error(res, res.status, status_message(res.status));
            }
            return httplib::Server::HandlerResponse::Handled;
        }));
    m_http->set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
        add_security_headers(res);
        res.set_header("X-Request-Id", access_log::request_id());
    });
    access_log::prepare();
    m_http->set_logger(access_log::finish);
    m_http->set_payload_max_length(kMaxBodyBytes);
    // Only the Keep-Alive header's figures: the front door enforces the timeouts itself.
    m_http->set_keep_alive_timeout(m_settings.keep_alive_seconds);
    m_http->set_keep_alive_max_count(100'000);
    m_http->set_tcp_nodelay(true);
}

int Server::bind(const std::string& host, int port) {
    int bound =
        port == 0 ? m_http->bind_to_any_port(host) : (m_http->bind_to_port(host, port) ? port : -1);
    if (bound < 0) {
        throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port));
    }
    m_http->widen_backlog();
    return bound;
}

void Server::run() {
    m_http->listen_after_bind();
}

void Server::stop() {
    m_http->shut_down();
}

bool Server::is_running() const {
    return m_http->is_running();
}

} // namespace tokend::http
