// The scope property of scope_property_test.cpp extended to time (SPEC §11.2–§11.5): random
// create / rotate / PATCH calls by random tokens under a lifetime policy, with the clock moving,
// each answer compared with a small model. No token may ever exceed or outlive its caller.
#include <random>

#include "lifecycle_fixture.hpp"

using namespace tokend::test;
using nlohmann::json;
using tokend::AppConfig;

namespace {
constexpr long long kDayMs = 86'400'000;
constexpr long long kPolicyMs = 30 * kDayMs;
const std::vector<std::string> kPool = {"analytics:read", "websites:read", "api-keys:read",
                                        "api-keys:write"};

struct Model {
    std::string id, key;
    std::vector<std::string> permissions; // "*" or a subset of kPool
    std::optional<long long> expires;     // ms since the epoch; nullopt = never
};

bool holds(const Model& t, const std::string& p) {
    return std::find(t.permissions.begin(), t.permissions.end(), "*") != t.permissions.end() ||
           std::find(t.permissions.begin(), t.permissions.end(), p) != t.permissions.end();
}
bool within(const Model& a, const Model& b) {
    return std::all_of(a.permissions.begin(), a.permissions.end(),
                       [&](const std::string& p) { return holds(b, p); });
}
bool outlives(std::optional<long long> a, std::optional<long long> b) {
    return b && (!a || *a > *b);
}

class LifetimeWorld : public LifecycleApi {
public:
    explicit LifetimeWorld(unsigned seed) : LifecycleApi(config()), m_random(seed) {
        auto root = first(self(m_full));
        m_tokens.push_back({root["_id"], m_full, {"*"}, ms(root["expiresAt"])});
    }
    void TestBody() override {}

    void step() {
        m_clock.advance(std::chrono::milliseconds(pick(6 * 3'600'000LL)));
        Model& caller = m_tokens[pick(m_tokens.size())];
        switch (pick(4)) {
        case 0:
            return check_create(caller);
        case 1:
            return check_rotate(caller, m_tokens[pick(m_tokens.size())]);
        case 2:
            return check_patch(caller, m_tokens[pick(m_tokens.size())]);
        default:
            return check_status(caller);
        }
    }

private:
    static AppConfig config() {
        AppConfig c;
        c.max_tokens_per_account = 100'000;
        c.max_token_lifetime = std::chrono::days(30); // kPolicyMs
        return c;
    }
    long long pick(long long n) {
        return std::uniform_int_distribution<long long>(0, n - 1)(m_random);
    }
    long long now() const {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   m_clock.now().time_since_epoch())
            .count();
    }
    static std::optional<long long> ms(const json& text) {
        if (text.is_null()) {
            return std::nullopt;
        }
        auto parsed = tokend::core::parse_timestamp(text.get<std::string>());
        return std::chrono::duration_cast<std::chrono::milliseconds>(parsed->time_since_epoch())
            .count();
    }
    std::string text(long long at) const {
        return m_clock.in(std::chrono::milliseconds(at - now()));
    }
    bool expired(const Model& t) const { return t.expires && *t.expires <= now(); }
    std::optional<long long> earliest(std::optional<long long> a, std::optional<long long> b) {
        return !a ? b : !b ? a : std::min(*a, *b);
    }

    // An expiresAt field: omitted, null, or a moment from -1 to +40 days from now.
    struct Asked {
        bool omitted = true;
        std::optional<long long> at;
    };
    Asked ask(json& body) {
        Asked asked;
        switch (pick(4)) {
        case 0:
            return asked;
        case 1:
            asked.omitted = false;
            body["expiresAt"] = nullptr;
            return asked;
        default:
            asked.omitted = false;
            asked.at = now() + pick(41 * kDayMs) - kDayMs;
            body["expiresAt"] = text(*asked.at);
            return asked;
        }
    }
    // The status of an explicit expiresAt under the policy and the caller (0 = accepted).
    int explicit_status(std::optional<long long> at, const Model& caller, bool policy = true) {
        if (at && *at <= now()) {
            return 400;
        }
        if (policy && outlives(at, now() + kPolicyMs)) {
            return 400;
        }
        return outlives(at, caller.expires) ? 403 : 0;
    }

    void check_status(const Model& t) {
        EXPECT_EQ(status_of(t.key), expired(t) ? 401 : 200) << t.id;
    }

    void check_create(const Model& caller) {
        Model wanted{"", "", {}, std::nullopt};
        for (const auto& p : kPool) {
            if (pick(2) == 0) {
                wanted.permissions.push_back(p);
            }
        }
        if (wanted.permissions.empty()) {
            wanted.permissions.push_back("analytics:read");
        }
        json body{{"permissions", wanted.permissions}};
        Asked asked = ask(body);
        auto reply = create(caller.key, body.dump());
        int expected = expired(caller)                    ? 401
                       : !holds(caller, "api-keys:write") ? 403
                       : !within(wanted, caller)          ? 403
                                                          : 0;
        if (expected == 0 && asked.at) {
            expected = explicit_status(asked.at, caller);
        }
        ASSERT_EQ(reply.status, expected == 0 ? 200 : expected) << body << reply.raw;
        if (reply.status != 200) {
            return;
        }
        auto t = first(reply);
        wanted.id = t["_id"];
        wanted.key = t["key"];
        wanted.expires = ms(t["expiresAt"]);
        EXPECT_EQ(wanted.expires,
                  asked.at ? asked.at : earliest(now() + kPolicyMs, caller.expires));
        expect_within(wanted, caller);
        m_tokens.push_back(wanted);
    }

    void check_rotate(const Model& caller, Model& target) {
        json body = json::object();
        Asked asked = ask(body);
        auto reply = rotate(caller.key, target.id, body.dump());
        int expected = expired(caller)                    ? 401
                       : !holds(caller, "api-keys:write") ? 403
                       : !within(target, caller)          ? 403
                       : expired(target) && !asked.at     ? 400
                                                          : 0;
        if (expected == 0 && asked.at) {
            expected = explicit_status(asked.at, caller);
        }
        ASSERT_EQ(reply.status, expected == 0 ? 200 : expected) << body << reply.raw;
        if (reply.status != 200) {
            return;
        }
        auto t = first(reply);
        auto kept = asked.omitted ? target.expires : std::nullopt;
        EXPECT_EQ(ms(t["expiresAt"]),
                  asked.at ? asked.at
                           : earliest(earliest(kept, now() + kPolicyMs), caller.expires));
        target.key = t["key"];
        target.expires = ms(t["expiresAt"]);
        expect_within(target, caller);
    }

    void check_patch(const Model& caller, Model& target) {
        json body{{"name", "n" + std::to_string(pick(1000))}};
        Asked asked = ask(body);
        auto reply = patch(caller.key, target.id, body.dump());
        int expected = expired(caller)                    ? 401
                       : !holds(caller, "api-keys:write") ? 403
                       : !within(target, caller)          ? 403
                                                          : 0;
        if (expected == 0 && !asked.omitted) {
            bool earlier = asked.at && (!target.expires || *asked.at <= *target.expires);
            expected = expired(target) ? 400 : explicit_status(asked.at, caller, !earlier);
        }
        ASSERT_EQ(reply.status, expected == 0 ? 200 : expected) << body << reply.raw;
        if (reply.status == 200 && !asked.omitted) {
            target.expires = asked.at;
            EXPECT_EQ(ms(first(reply)["expiresAt"]), asked.at);
            EXPECT_FALSE(outlives(target.expires, caller.expires));
        }
    }

    void expect_within(const Model& token, const Model& caller) {
        EXPECT_TRUE(within(token, caller)) << token.id;
        EXPECT_FALSE(outlives(token.expires, caller.expires)) << token.id;
        EXPECT_FALSE(outlives(token.expires, now() + kPolicyMs)) << token.id;
    }

    std::mt19937_64 m_random;
    std::vector<Model> m_tokens;
};

void run_world(unsigned seed, int steps) {
    LifetimeWorld world(seed);
    for (int i = 0; i < steps; ++i) {
        SCOPED_TRACE("seed " + std::to_string(seed) + ", step " + std::to_string(i));
        world.step();
        if (::testing::Test::HasFailure()) {
            return;
        }
    }
}
} // namespace

TEST(LifetimeProperty, NoTokenExceedsOrOutlivesItsCallerSeed1) {
    run_world(1, 250);
}

TEST(LifetimeProperty, NoTokenExceedsOrOutlivesItsCallerSeed2) {
    run_world(2, 250);
}

TEST(LifetimeProperty, NoTokenExceedsOrOutlivesItsCallerSeed3) {
    run_world(3, 250);
}
