// Shared set-up for the list-page, state-filter and introspection API tests: the token fixture
// with a clock the test can move (no sleeping), room for many tokens, and lastUsedAt flushes
// far enough apart that two replies can be compared byte for byte.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "store/tokens.hpp"
#include "token_fixture.hpp"

namespace tokend::test {

// The system clock plus an offset the test moves forward.
class MovableClock {
public:
    core::Clock clock() const {
        return [offset = m_offset] {
            return std::chrono::system_clock::now() + std::chrono::milliseconds(offset->load());
        };
    }
    void advance(std::chrono::milliseconds by) { m_offset->fetch_add(by.count()); }

private:
    std::shared_ptr<std::atomic<long long>> m_offset = std::make_shared<std::atomic<long long>>(0);
};

inline AppConfig list_config(const MovableClock& clock, int max_tokens) {
    AppConfig config;
    config.clock = clock.clock();
    config.max_tokens_per_account = max_tokens;
    config.usage_flush_interval = std::chrono::hours(1);
    return config;
}

// Base before TokenApi, so the clock exists when TokenApi builds the App.
struct ClockHolder {
    MovableClock m_clock;
};

class ListApi : protected ClockHolder, public TokenApi {
protected:
    explicit ListApi(int max_tokens = 1000)
        : ClockHolder(), TokenApi(list_config(m_clock, max_tokens)) {}

    // Creates `n` tokens for alice over HTTP; returns their ids, oldest first.
    std::vector<std::string> seed_tokens(int n) {
        std::vector<std::string> ids;
        for (int i = 0; i < n; ++i) {
            ids.push_back(
                created(m_full, R"({"name":"seed )" + std::to_string(i) + R"("})")["_id"]);
        }
        return ids;
    }
    // Gives token `id` an expiry `in` from the test clock's now, through the repository (the
    // same write PATCH uses), so tests need not depend on the create body's expiresAt.
    void set_expiry(const std::string& id, std::chrono::milliseconds in) {
        std::string when = core::format_timestamp(m_clock.clock()() + in);
        m_server.app().store().write([&](store::Connection& c) {
            auto token = store::tokens::by_id(c, id);
            ASSERT_TRUE(token.has_value());
            token->expires_at = when;
            ASSERT_TRUE(store::tokens::update(c, *token));
        });
    }
    static std::vector<std::string> ids_in(const nlohmann::json& data) {
        std::vector<std::string> ids;
        for (const auto& t : data) {
            ids.push_back(t["_id"]);
        }
        return ids;
    }
};

} // namespace tokend::test
