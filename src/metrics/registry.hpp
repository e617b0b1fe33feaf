// tokend's metrics (SPEC §13): requests by route pattern and status, request durations, gate
// checks by reason, group-commit batch sizes and commit durations, failed-auth throttle hits.
// One process-wide registry, like a Prometheus client's default registry: the writer thread,
// the authenticator and the router record into it without being handed anything.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>

#include "metrics/histogram.hpp"

namespace tokend::metrics {

// Status codes tokend answers with; any other is counted as "other".
inline constexpr std::array<int, 17> kStatuses = {200, 201, 204, 301, 302, 304, 400, 401, 403,
                                                  404, 405, 409, 413, 415, 429, 500, 503};
// Request durations, 25 µs to 2.5 s, in nanoseconds.
inline constexpr std::array<std::uint64_t, 16> kDurationBounds = {
    25'000,      50'000,      100'000,       250'000,      500'000,    1'000'000,
    2'500'000,   5'000'000,   10'000'000,    25'000'000,   50'000'000, 100'000'000,
    250'000'000, 500'000'000, 1'000'000'000, 2'500'000'000};
// Writes per group commit; the writer takes at most 512 at once.
inline constexpr std::array<std::uint64_t, 10> kBatchBounds = {1,  2,  4,   8,   16,
                                                               32, 64, 128, 256, 512};
// COMMIT (the fsync) durations, 100 µs to 5 s, in nanoseconds.
inline constexpr std::array<std::uint64_t, 14> kCommitBounds = {
    100'000,    250'000,    500'000,     1'000'000,   2'500'000,   5'000'000,     10'000'000,
    25'000'000, 50'000'000, 100'000'000, 250'000'000, 500'000'000, 1'000'000'000, 5'000'000'000};

using DurationHistogram = Histogram<kDurationBounds.size()>;
using BatchHistogram = Histogram<kBatchBounds.size()>;
using CommitHistogram = Histogram<kCommitBounds.size()>;

// Why /api/v1/auth/check answered as it did: SPEC §11.9's X-Tokend-Reason values, plus what a
// status alone says when no reason header was set.
enum class CheckReason {
    Allowed,
    InvalidToken,
    Expired,
    InsufficientPermission,
    WebsiteForbidden,
    IpForbidden,
    RateLimited,
    Throttled,
    Forbidden,  // 403 without a reason header
    BadRequest, // 400: the gate's configuration is wrong
    Error,      // anything else (5xx)
    Other,      // a reason header this binary does not know
    Count
};
std::string_view reason_name(CheckReason reason);
std::string_view outcome_name(CheckReason reason); // allowed, denied or error
CheckReason parse_reason(std::string_view name);   // Other for a name not listed

// The counters of one route of the route table. Addresses are stable for the process's life.
struct RouteSeries {
    RouteSeries(std::string m, std::string r) : method(std::move(m)), route(std::move(r)) {}
    const std::string method;
    const std::string route; // the Router's pattern, never a raw path: ids are not labels
    bool counts_checks = false;
    std::array<Counter, kStatuses.size() + 1> by_status{}; // last: other
    DurationHistogram duration{kDurationBounds};
};

class Registry {
public:
    // Startup only (takes a lock): the series of `method pattern`, made on first use.
    RouteSeries& route(std::string_view method, std::string_view pattern);
    // Requests that matched no route (404, 405).
    RouteSeries& unmatched() { return m_unmatched; }

    void record_request(RouteSeries& series, int status, std::chrono::nanoseconds took);
    void record_check(CheckReason reason) { m_checks[static_cast<std::size_t>(reason)].add(); }
    void record_commit(std::size_t batch_size, std::chrono::nanoseconds took);
    void record_throttled() { m_throttled.add(); }

    // Prometheus text exposition format 0.0.4; `live_tokens` is counted by the caller at scrape
    // time.
    std::string render(std::int64_t live_tokens);

private:
    std::mutex m_routes_mutex; // guards the deque's shape, never the counters
    std::deque<RouteSeries> m_routes;
    RouteSeries m_unmatched{"*", "unmatched"};
    std::array<Counter, static_cast<std::size_t>(CheckReason::Count)> m_checks{};
    BatchHistogram m_batch_sizes{kBatchBounds};
    CommitHistogram m_commit_durations{kCommitBounds};
    Counter m_throttled;
};

Registry& registry();

// Recording happens only after enable() (serve --metrics-listen): without the flag the hot path
// does one relaxed load and nothing else.
void enable();
bool enabled();

std::size_t status_index(int status);

} // namespace tokend::metrics
