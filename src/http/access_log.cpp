// Access log lines and request ids.
#include "http/access_log.hpp"

#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <random>

namespace tokend::http::access_log {

namespace {
using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxSegmentLength = 32; // an ObjectId is 24, a token 40
constexpr std::size_t kMaxLoggedSegments = 16;

struct CurrentRequest {
    std::string id;
    Clock::time_point start{};
    bool started = false;
};

thread_local CurrentRequest t_current;

// Ids only need to be unique and easy to grep for, not secret: a per-process random prefix
// (so two runs don't repeat ids) and a counter.
std::string next_request_id() {
    static const std::uint32_t prefix = std::random_device{}();
    static std::atomic<std::uint64_t> counter{0};
    return fmt::format("{:08x}{:08x}", prefix, counter.fetch_add(1, std::memory_order_relaxed));
}

bool contains_token_prefix(std::string_view segment) {
    for (std::size_t i = 0; i + 4 <= segment.size(); ++i) {
        if ((segment[i] | 0x20) == 'd' && (segment[i + 1] | 0x20) == 'f' &&
            (segment[i + 2] | 0x20) == 't' && segment[i + 3] == '_') {
            return true;
        }
    }
    return false;
}

bool is_loggable_segment(std::string_view segment) {
    if (segment.size() > kMaxSegmentLength || contains_token_prefix(segment)) {
        return false;
    }
    for (char c : segment) {
        bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     c == '-' || c == '_' || c == '.';
        if (!plain) {
            return false;
        }
    }
    return true;
}
} // namespace

void prepare() {
    spdlog::default_logger_raw();
}

void begin() {
    t_current.id = next_request_id();
    t_current.start = Clock::now();
    t_current.started = true;
}

const std::string& request_id() {
    if (t_current.id.empty()) {
        t_current.id = next_request_id();
    }
    return t_current.id;
}

void finish(const httplib::Request& req, const httplib::Response& res) {
    double millis = 0;
    if (t_current.started) {
        millis = std::chrono::duration<double, std::milli>(Clock::now() - t_current.start).count();
    }
    spdlog::info("request id={} method={} path={} status={} duration_ms={:.3f}", request_id(),
                 loggable_method(req.method), loggable_path(req.path), res.status, millis);
    t_current = {};
}

std::string loggable_path(std::string_view path) {
    if (path.empty() || path.front() != '/') {
        return path.empty() ? "-" : "*";
    }
    std::string logged;
    std::size_t segments = 0;
    std::size_t start = 1;
    for (;;) {
        auto slash = path.find('/', start);
        auto segment = path.substr(start, slash == std::string_view::npos ? slash : slash - start);
        if (++segments > kMaxLoggedSegments) {
            logged += "/...";
            return logged;
        }
        logged += '/';
        logged += is_loggable_segment(segment) ? std::string(segment) : std::string("*");
        if (slash == std::string_view::npos) {
            return logged;
        }
        start = slash + 1;
    }
}

std::string loggable_method(std::string_view method) {
    if (method.empty() || method.size() > 16) {
        return "?";
    }
    for (char c : method) {
        if (c < 'A' || c > 'Z') {
            return "?";
        }
    }
    return std::string(method);
}

} // namespace tokend::http::access_log
