// The front door (SPEC §14): a cpp-httplib Server that owns every accepted socket. The library
// still parses, routes and writes each request (process_request); this class decides how a
// connection waits, how long a request may take to arrive, who is let in, and how it closes.
//
// It overrides cpp-httplib 0.11.4's private virtual Server::process_and_close_socket, an
// undocumented extension point: front_door.cpp refuses to compile against another version, and
// tests/api/front_door_test.cpp fails if the override stops being called.
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "http/front_door/admission.hpp"
#include "http/front_door/reactor.hpp"
#include "http/front_door/stream.hpp"
#include "http/front_door/tls.hpp"

namespace tokend::http::front_door {

struct Limits {
    StreamLimits stream;
    std::chrono::milliseconds keep_alive_timeout{5'000};
    int max_connections = 4096;
    int max_connections_per_address = 256;
};

// Pre-built answers sent without a request (Connection: close, the error envelope).
struct CannedAnswers {
    std::string over_capacity; // 503: a connection cap was reached, or stopping mid-arrival
    std::string timed_out;     // 408: the header block did not arrive in time
};

class FrontDoor final : public httplib::Server {
public:
    FrontDoor(Limits limits, CannedAnswers canned);

    // After bind_to_port: a backlog that holds bursts (cpp-httplib 0.11.4 listens with 5).
    void widen_backlog();
    // Wakes every idle connection so it closes; requests in flight finish. Then stops accepting.
    void shut_down();
    // Serve HTTPS with this context from the next accepted connection on (null: plain HTTP).
    // Open connections keep the session, and so the certificate, they started with.
    void use_tls(std::shared_ptr<const TlsContext> context);

private:
    class Connection;
    bool process_and_close_socket(socket_t sock) override;

    Limits m_limits;
    CannedAnswers m_canned;
    Admission m_admission;
    std::atomic<bool> m_stopping{false};
    std::atomic<std::shared_ptr<const TlsContext>> m_tls;
    Reactor m_reactor; // last: its threads are gone before the members above
};

// Connections handed to FrontDoor since the process started (the pin test reads it).
std::uint64_t connections_accepted();

// For the handlers of the request being served on this thread.
Breach current_breach();     // why reading it stopped, if it did
void close_after_response(); // e.g. a 413 answered before its body was read

} // namespace tokend::http::front_door
