// cpp-httplib 0.11.4 setup. Its defaults are unsafe or slow for us, so each is set explicitly:
// an exception handler (it would copy what() into a header), a payload limit (unlimited by
// default), an error handler that fills only empty bodies (it runs for every status >= 400),
// a thread pool sized for keep-alive connections, and TCP_NODELAY.
#include "http/server.hpp"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <stdexcept>

#include "http/access_log.hpp"
#include "http/authenticate.hpp"
#include "http/client_address.hpp"
#include "http/envelope.hpp"
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
    case 413:
        return "The request body must be at most 64 KiB.";
    case 414:
        return "The request path is too long.";
    case 431:
        return "The request headers are too large.";
    default:
        return "The request failed.";
    }
}
} // namespace

Server::Server(Services& services, ServerSettings settings)
    : m_services(services), m_settings(settings),
      m_router(
          [&services](const httplib::Request& req, const std::string& client) {
              return authenticate(req, client, services.authenticator, services.sessions);
          },
          [this](const httplib::Request& req) {
              return client_address(req, m_settings.trusted_proxies);
          }),
      m_http(std::make_unique<httplib::Server>()) {
    add_token_routes(m_router, m_services);
    add_account_routes(m_router, m_services);
    add_website_routes(m_router, m_services);
    add_session_routes(m_router, m_services);
    add_check_routes(m_router, m_services);
    if (m_settings.credentials_revoke) {
        add_credential_routes(m_router, m_services); // otherwise a 404 like any unknown path
    }
    add_static_routes(m_router);
    configure();
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
        if (is_routed_method(req.method) && !req.has_header("Content-Length") &&
            !req.has_header("Transfer-Encoding")) {
            m_router.dispatch(req, res);
            return httplib::Server::HandlerResponse::Handled;
        }
        return httplib::Server::HandlerResponse::Unhandled;
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
    m_http->set_read_timeout(m_settings.read_timeout_seconds, 0);
    m_http->set_write_timeout(m_settings.read_timeout_seconds, 0);
    m_http->set_keep_alive_timeout(m_settings.keep_alive_seconds);
    m_http->set_keep_alive_max_count(100'000);
    m_http->set_tcp_nodelay(true);
    auto threads = static_cast<std::size_t>(m_settings.threads);
    m_http->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
}

int Server::bind(const std::string& host, int port) {
    int bound =
        port == 0 ? m_http->bind_to_any_port(host) : (m_http->bind_to_port(host, port) ? port : -1);
    if (bound < 0) {
        throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port));
    }
    return bound;
}

void Server::run() {
    m_http->listen_after_bind();
}

void Server::stop() {
    m_http->stop();
}

bool Server::is_running() const {
    return m_http->is_running();
}

} // namespace tokend::http
