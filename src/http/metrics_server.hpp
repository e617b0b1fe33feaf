// The metrics listener (serve --metrics-listen): a second, small cpp-httplib server that
// answers GET /metrics in Prometheus text format, apart from the API port so it can stay on a
// private address.
#pragma once

#include <memory>
#include <string>

#include "store/store.hpp"

namespace httplib {
class Server;
}

namespace tokend::http {

class MetricsServer {
public:
    explicit MetricsServer(store::Store& store);
    ~MetricsServer();

    int bind(const std::string& host, int port); // returns the real port; throws on failure
    void run();                                  // serves until stop()
    void stop();
    bool is_running() const;

private:
    store::Store& m_store;
    std::unique_ptr<httplib::Server> m_http;
};

} // namespace tokend::http
