// The registry's bookkeeping and its Prometheus text rendering.
#include "metrics/registry.hpp"

#include <cstdio>
#include <vector>

#include "core/error.hpp"

namespace tokend::metrics {

namespace {
using core::Reason;
// In CheckReason's order; the refusals are spelled where X-Tokend-Reason is (core/error.hpp).
constexpr std::array<std::string_view, static_cast<std::size_t>(CheckReason::Count)> kReasonNames =
    {"allowed",
     core::reason_name(Reason::InvalidToken),
     core::reason_name(Reason::Expired),
     core::reason_name(Reason::InsufficientPermission),
     core::reason_name(Reason::WebsiteForbidden),
     core::reason_name(Reason::IpForbidden),
     core::reason_name(Reason::RateLimited),
     core::reason_name(Reason::Throttled),
     "forbidden",
     "bad_request",
     "error",
     "other"};

std::atomic<bool> g_enabled{false};

// A number as Prometheus reads it: integer units divided by `scale`, without trailing zeros.
std::string number(std::uint64_t units, double scale) {
    char text[64];
    std::snprintf(text, sizeof text, "%.9f", static_cast<double>(units) / scale);
    std::string out = text;
    out.erase(out.find_last_not_of('0') + 1);
    if (out.back() == '.') {
        out.pop_back();
    }
    return out;
}

// Label values here are route patterns and fixed words; escaped anyway, as the format requires.
std::string escaped(std::string_view value) {
    std::string out;
    for (char c : value) {
        if (c == '\\' || c == '"') {
            out.push_back('\\');
            out.push_back(c);
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out.push_back(c);
        }
    }
    return out;
}

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
    out.append("# HELP ").append(name).append(" ").append(help).append("\n");
    out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

template <std::size_t N>
void histogram(std::string& out, std::string_view name, const std::string& labels,
               const Histogram<N>& h, double scale) {
    std::string prefix = labels.empty() ? "{" : "{" + labels + ",";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i <= N; ++i) {
        cumulative += h.bucket(i);
        std::string le = i < N ? number(h.bounds()[i], scale) : "+Inf";
        out.append(name).append("_bucket").append(prefix).append("le=\"").append(le);
        out.append("\"} ").append(std::to_string(cumulative)).append("\n");
    }
    std::string braces = labels.empty() ? "" : "{" + labels + "}";
    out.append(name).append("_sum").append(braces).append(" ");
    out.append(number(h.sum(), scale)).append("\n");
    // The count is the buckets' total, so it always equals the +Inf bucket of this scrape.
    out.append(name).append("_count").append(braces).append(" ");
    out.append(std::to_string(cumulative)).append("\n");
}

std::string route_labels(const RouteSeries& series) {
    std::string labels =
        "method=\"" + escaped(series.method) + "\",route=\"" + escaped(series.route) + "\"";
    return labels;
}

std::uint64_t total(const RouteSeries& series) {
    std::uint64_t sum = 0;
    for (const auto& counter : series.by_status) {
        sum += counter.value();
    }
    return sum;
}
} // namespace

std::string_view reason_name(CheckReason reason) {
    return kReasonNames[static_cast<std::size_t>(reason)];
}

std::string_view outcome_name(CheckReason reason) {
    switch (reason) {
    case CheckReason::Allowed:
        return "allowed";
    case CheckReason::BadRequest:
    case CheckReason::Error:
        return "error";
    default:
        return "denied";
    }
}

CheckReason parse_reason(std::string_view name) {
    for (std::size_t i = 0; i < kReasonNames.size(); ++i) {
        if (kReasonNames[i] == name) {
            return static_cast<CheckReason>(i);
        }
    }
    return CheckReason::Other;
}

std::size_t status_index(int status) {
    for (std::size_t i = 0; i < kStatuses.size(); ++i) {
        if (kStatuses[i] == status) {
            return i;
        }
    }
    return kStatuses.size();
}

RouteSeries& Registry::route(std::string_view method, std::string_view pattern) {
    std::lock_guard lock(m_routes_mutex);
    for (auto& series : m_routes) {
        if (series.method == method && series.route == pattern) {
            return series;
        }
    }
    return m_routes.emplace_back(std::string(method), std::string(pattern));
}

void Registry::record_request(RouteSeries& series, int status, std::chrono::nanoseconds took) {
    series.by_status[status_index(status)].add();
    series.duration.observe(static_cast<std::uint64_t>(took.count()));
}

void Registry::record_commit(std::size_t batch_size, std::chrono::nanoseconds took) {
    m_batch_sizes.observe(batch_size);
    m_commit_durations.observe(static_cast<std::uint64_t>(took.count()));
}

std::string Registry::render(std::int64_t live_tokens) {
    std::lock_guard lock(m_routes_mutex);
    std::vector<const RouteSeries*> used;
    for (const auto& series : m_routes) {
        if (total(series) > 0) {
            used.push_back(&series);
        }
    }
    if (total(m_unmatched) > 0) {
        used.push_back(&m_unmatched);
    }
    std::string out;
    header(out, "tokend_http_requests_total", "counter",
           "HTTP requests answered, by route pattern of the route table and status.");
    for (const auto* series : used) {
        for (std::size_t i = 0; i <= kStatuses.size(); ++i) {
            if (auto n = series->by_status[i].value(); n > 0) {
                std::string status = i < kStatuses.size() ? std::to_string(kStatuses[i]) : "other";
                out += "tokend_http_requests_total{" + route_labels(*series) + ",status=\"" +
                       status + "\"} " + std::to_string(n) + "\n";
            }
        }
    }
    header(out, "tokend_http_request_duration_seconds", "histogram",
           "Time from routing a request to its answer, by route pattern.");
    for (const auto* series : used) {
        histogram(out, "tokend_http_request_duration_seconds", route_labels(*series),
                  series->duration, 1e9);
    }
    header(out, "tokend_auth_checks_total", "counter",
           "Answers of /api/v1/auth/check by outcome and X-Tokend-Reason.");
    for (std::size_t i = 0; i < m_checks.size(); ++i) {
        auto reason = static_cast<CheckReason>(i);
        out += "tokend_auth_checks_total{outcome=\"" + std::string(outcome_name(reason)) +
               "\",reason=\"" + std::string(reason_name(reason)) + "\"} " +
               std::to_string(m_checks[i].value()) + "\n";
    }
    header(out, "tokend_failed_auth_throttled_total", "counter",
           "Failed bearer authentications refused by the per-address throttle.");
    out += "tokend_failed_auth_throttled_total " + std::to_string(m_throttled.value()) + "\n";
    header(out, "tokend_live_tokens", "gauge",
           "Access tokens not revoked, counted at scrape time.");
    out += "tokend_live_tokens " + std::to_string(live_tokens) + "\n";
    header(out, "tokend_store_commit_batch_size", "histogram",
           "Writes committed together by one group commit.");
    histogram(out, "tokend_store_commit_batch_size", "", m_batch_sizes, 1);
    header(out, "tokend_store_commit_duration_seconds", "histogram",
           "Duration of a group commit's COMMIT, the fsync included.");
    histogram(out, "tokend_store_commit_duration_seconds", "", m_commit_durations, 1e9);
    return out;
}

Registry& registry() {
    static Registry instance;
    return instance;
}

void enable() {
    g_enabled.store(true, std::memory_order_relaxed);
}

bool enabled() {
    return g_enabled.load(std::memory_order_relaxed);
}

} // namespace tokend::metrics
