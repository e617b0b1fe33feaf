// GET /metrics: the registry rendered, plus the live-token gauge counted at scrape time.
#include "http/metrics_server.hpp"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <stdexcept>

#include "metrics/registry.hpp"
#include "store/stats.hpp"

namespace tokend::http {

namespace {
constexpr int kThreads = 2; // scrapers are few; a slow one must not hold the API's workers
constexpr int kTimeoutSeconds = 5;
constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";
} // namespace

MetricsServer::MetricsServer(store::Store& store)
    : m_store(store), m_http(std::make_unique<httplib::Server>()) {
    m_http->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
        res.set_content(metrics::registry().render(store::stats::live_tokens(m_store)),
                        kContentType);
    });
    m_http->set_error_handler([](const httplib::Request&, httplib::Response& res) {
        if (res.body.empty()) {
            res.set_content("Only GET /metrics is served here.\n", "text/plain");
        }
    });
    // Without it cpp-httplib 0.11.4 would copy what() into a response header.
    m_http->set_exception_handler([](const httplib::Request&, httplib::Response& res,
                                     std::exception_ptr ep) {
        try {
            std::rethrow_exception(ep);
        } catch (const std::exception& error) {
            spdlog::error("metrics scrape failed: {}", error.what());
        } catch (...) {
            spdlog::error("metrics scrape failed");
        }
        res.headers.clear();
        res.status = 500;
        res.set_content("The scrape failed; the details are in the server log.\n", "text/plain");
    });
    m_http->set_read_timeout(kTimeoutSeconds, 0);
    m_http->set_write_timeout(kTimeoutSeconds, 0);
    m_http->set_payload_max_length(1024);
    m_http->new_task_queue = [] { return new httplib::ThreadPool(kThreads); };
}

MetricsServer::~MetricsServer() = default;

int MetricsServer::bind(const std::string& host, int port) {
    int bound =
        port == 0 ? m_http->bind_to_any_port(host) : (m_http->bind_to_port(host, port) ? port : -1);
    if (bound < 0) {
        throw std::runtime_error("--metrics-listen: cannot listen on " + host + ":" +
                                 std::to_string(port));
    }
    return bound;
}

void MetricsServer::run() {
    m_http->listen_after_bind();
}

void MetricsServer::stop() {
    m_http->stop();
}

bool MetricsServer::is_running() const {
    return m_http->is_running();
}

} // namespace tokend::http
