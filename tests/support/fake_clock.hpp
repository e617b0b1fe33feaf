// A clock tests move by hand (AppConfig::clock), so expiry and grace periods are tested without
// sleeping. Copies share one time; safe to read from the server's threads.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>

#include "core/clock.hpp"

namespace tokend::test {

class FakeClock {
public:
    // Starts at the real time, whole milliseconds (the API's resolution).
    FakeClock()
        : m_ms(std::make_shared<std::atomic<long long>>(
              std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count())) {}

    core::TimePoint now() const {
        return core::TimePoint(std::chrono::duration_cast<core::TimePoint::duration>(
            std::chrono::milliseconds(m_ms->load())));
    }
    std::string now_text() const { return core::format_timestamp(now()); }
    void advance(std::chrono::milliseconds by) { m_ms->fetch_add(by.count()); }
    core::Clock clock() const {
        return [ms = m_ms] {
            return core::TimePoint(std::chrono::duration_cast<core::TimePoint::duration>(
                std::chrono::milliseconds(ms->load())));
        };
    }
    // A timestamp `from_now` after the current fake time.
    std::string in(std::chrono::milliseconds from_now) const {
        return core::format_timestamp(now() + from_now);
    }

private:
    std::shared_ptr<std::atomic<long long>> m_ms;
};

} // namespace tokend::test
