// Counters and histograms of a fixed shape made of relaxed std::atomic adds: recording never
// takes a lock and never allocates, so the request path pays a few uncontended increments.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

namespace tokend::metrics {

class Counter {
public:
    void add(std::uint64_t n = 1) { m_value.fetch_add(n, std::memory_order_relaxed); }
    std::uint64_t value() const { return m_value.load(std::memory_order_relaxed); }

private:
    std::atomic<std::uint64_t> m_value{0};
};

// A Prometheus histogram over ascending upper bounds given in integer base units
// (nanoseconds for durations, 1 for sizes), +Inf implied. Buckets are kept non-cumulative and
// summed when rendered, so one observation is two atomic adds.
template <std::size_t N>
class Histogram {
public:
    using Bounds = std::array<std::uint64_t, N>;
    explicit constexpr Histogram(const Bounds& bounds) : m_bounds(bounds) {}

    void observe(std::uint64_t units) {
        std::size_t i = 0;
        while (i < N && units > m_bounds[i]) {
            ++i;
        }
        m_buckets[i].add();
        m_sum.add(units);
    }

    const Bounds& bounds() const { return m_bounds; }
    // Observations in bucket i alone (i == N: above the last bound).
    std::uint64_t bucket(std::size_t i) const { return m_buckets[i].value(); }
    std::uint64_t sum() const { return m_sum.value(); }

private:
    Bounds m_bounds;
    std::array<Counter, N + 1> m_buckets{};
    Counter m_sum;
};

} // namespace tokend::metrics
