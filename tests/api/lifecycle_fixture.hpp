// Shared set-up for the token lifecycle API tests (SPEC §11.1–§11.5): TokenApi on a server whose
// clock the test moves, plus shortcuts for rotate, PATCH and the token itself.
#pragma once

#include "support/fake_clock.hpp"
#include "token_fixture.hpp"

namespace tokend::test {

using namespace std::chrono_literals;

inline const std::string kSelfPath = kTokensPath + "/self";

// Constructed before TokenApi, so the server can take its clock.
struct ClockHolder {
    FakeClock m_clock;
};

class LifecycleApi : protected ClockHolder, public TokenApi {
protected:
    explicit LifecycleApi(AppConfig config = {}) : TokenApi(with_clock(std::move(config))) {}

    AppConfig with_clock(AppConfig config) {
        config.clock = m_clock.clock();
        config.expired_purge_interval = 20ms;
        return config;
    }

    Reply rotate(const std::string& token, const std::string& id, const std::string& body = "") {
        return m_server.post(kTokensPath + "/" + id + "/rotate", token, body);
    }
    Reply rotate_self(const std::string& token, const std::string& body = "") {
        return m_server.post(kSelfPath + "/rotate", token, body);
    }
    Reply patch(const std::string& token, const std::string& id, const std::string& body) {
        httplib::Headers headers{{"Authorization", "Bearer " + token}};
        return m_server.send("PATCH", kTokensPath + "/" + id, headers, body);
    }
    Reply self(const std::string& token) { return m_server.get(kSelfPath, token); }
    // The status the token itself gets: 200 while the key works, 401 once it does not.
    int status_of(const std::string& key) { return self(key).status; }

    // data[0] of a successful reply.
    static nlohmann::json first(const Reply& reply) {
        auto data = data_of(reply);
        EXPECT_EQ(data.size(), 1u) << reply.raw;
        return data.empty() ? nlohmann::json::object() : data[0];
    }
    // Creates a token through the API and returns {object with key}.
    nlohmann::json made(const std::string& body, const std::string& by = "") {
        return created(by.empty() ? m_full : by, body);
    }
    // alice's token object with this id as the list shows it.
    nlohmann::json listed(const std::string& id) {
        for (const auto& t : live_tokens()) {
            if (t["_id"] == id) {
                return t;
            }
        }
        return nullptr;
    }
};

// The PATCH tests' target: one token of alice's ("ci", analytics:read + api-keys:read).
class PatchTarget : public LifecycleApi {
protected:
    void SetUp() override {
        auto t = made(R"({"name":"ci","permissions":["analytics:read","api-keys:read"]})");
        m_id = t["_id"];
        m_key = t["key"];
    }
    // A PATCH of m_id that must fail with `status`, name `field` and leave every token as it was.
    void expect_refused(const std::string& body, int status, const std::string& field,
                        const std::string& by = "") {
        auto before = live_tokens();
        auto reply = patch(by.empty() ? m_full : by, m_id, body);
        expect_error(reply, status);
        EXPECT_NE(message_of(reply).find(field), std::string::npos) << body << message_of(reply);
        EXPECT_EQ(live_tokens(), before) << body;
    }

    std::string m_id;
    std::string m_key;
};

} // namespace tokend::test
