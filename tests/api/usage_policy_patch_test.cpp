// PATCH of allowedIps and rateLimit (SPEC §11.5–§11.7) on the real App: the same readers and
// messages as create, never wider than the caller, a new limit counted from the next request,
// and rotation keeping both (it is the same token).
#include "lifecycle_fixture.hpp"

using namespace tokend::test;
using nlohmann::json;

namespace {
class PolicyPatch : public PatchTarget {
protected:
    // A token of alice's with every permission, usable only from `allowed` (a JSON array).
    std::string restricted(const std::string& allowed) {
        return made(R"({"allowedIps":)" + allowed + "}")["key"];
    }
};
} // namespace

TEST_F(PolicyPatch, AllowedIpsAreStoredNormalizedAndApplyToTheNextRequest) {
    auto t = first(patch(m_full, m_id, R"({"allowedIps":["192.0.2.7/24","192.0.2.0/24"]})"));
    EXPECT_EQ(t["allowedIps"], json{"192.0.2.0/24"});
    EXPECT_EQ(listed(m_id)["allowedIps"], json{"192.0.2.0/24"});
    auto refused = self(m_key);
    expect_error(refused, 403);
    EXPECT_EQ(message_of(refused), "This token cannot be used from 127.0.0.1.");
    EXPECT_EQ(first(patch(m_full, m_id, R"({"allowedIps":["127.0.0.1"]})"))["allowedIps"],
              json{"127.0.0.1/32"});
    EXPECT_EQ(status_of(m_key), 200);
    // [] copies the caller's list: for an unrestricted caller, any address again.
    EXPECT_EQ(first(patch(m_full, m_id, R"({"allowedIps":[]})"))["allowedIps"], json::array());
}

TEST_F(PolicyPatch, BadAllowedIpsGet400NamingTheFieldAndChangeNothing) {
    patch(m_full, m_id, R"({"allowedIps":["127.0.0.0/8"]})");
    expect_refused(R"({"allowedIps":["10.0.0.0/8","1.2.3.4/33"]})", 400, "allowedIps[1]");
    expect_refused(R"({"allowedIps":["010.0.0.1"]})", 400, "allowedIps[0]");
    expect_refused(R"({"allowedIps":"10.0.0.0/8"})", 400, "allowedIps");
    expect_refused(R"({"allowedIps":null})", 400, "allowedIps");
    expect_refused(R"({"name":"renamed","allowedIps":[5]})", 400, "allowedIps[0]");
    EXPECT_EQ(listed(m_id)["allowedIps"], json{"127.0.0.0/8"});
    EXPECT_EQ(listed(m_id)["name"], "ci");
}

TEST_F(PolicyPatch, AllowedIpsWiderThanTheCallersGet403AndChangeNothing) {
    auto caller = restricted(R"(["127.0.0.0/8","192.0.2.0/24"])");
    auto target = made(R"({"name":"child"})", caller);
    EXPECT_EQ(target["allowedIps"], (json{"127.0.0.0/8", "192.0.2.0/24"}));
    m_id = target["_id"];
    for (const char* wider : {R"(["10.0.0.0/8"])", R"(["127.0.0.0/7"])", R"(["0.0.0.0/0"])",
                              R"(["127.0.0.1","::1"])", R"(["::/0"])"}) {
        expect_refused(std::string(R"({"allowedIps":)") + wider + "}", 403, "allowedIps", caller);
    }
    EXPECT_EQ(first(patch(caller, m_id, R"({"allowedIps":["192.0.2.128/25"]})"))["allowedIps"],
              json{"192.0.2.128/25"});
    EXPECT_EQ(first(patch(caller, m_id, R"({"allowedIps":[]})"))["allowedIps"],
              (json{"127.0.0.0/8", "192.0.2.0/24"}));
}

TEST_F(PolicyPatch, ARestrictedCallerCannotChangeOrRotateATokenUsableFromMoreAddresses) {
    auto caller = restricted(R"(["127.0.0.0/8"])");
    expect_refused(R"({"name":"x"})", 403, "more access", caller);
    auto before = live_tokens();
    expect_error(rotate(caller, m_id), 403);
    EXPECT_EQ(live_tokens(), before);
    EXPECT_EQ(status_of(m_key), 200); // the old key still works: nothing was rotated
}

TEST_F(PolicyPatch, ANewRateLimitCountsFromTheNextRequest) {
    auto limited = made(R"({"rateLimit":{"limit":2,"windowSeconds":3600}})");
    std::string id = limited["_id"], key = limited["key"];
    EXPECT_EQ(status_of(key), 200);
    EXPECT_EQ(status_of(key), 200);
    auto over = self(key);
    EXPECT_EQ(over.status, 429) << over.raw;
    // Raised: the two requests already counted stay counted in the same window.
    auto t = first(patch(m_full, id, R"({"rateLimit":{"limit":4,"windowSeconds":3600}})"));
    EXPECT_EQ(t["rateLimit"], (json{{"limit", 4}, {"windowSeconds", 3600}}));
    auto next = self(key);
    EXPECT_EQ(next.status, 200) << next.raw;
    EXPECT_EQ(next.header("RateLimit-Policy"), "\"token\";q=4;w=3600");
    EXPECT_EQ(status_of(key), 200);
    EXPECT_EQ(status_of(key), 429);
    // Lowered: refused at once.
    patch(m_full, id, R"({"rateLimit":{"limit":1,"windowSeconds":3600}})");
    EXPECT_EQ(status_of(key), 429);
    // null removes the limit and its headers.
    EXPECT_EQ(first(patch(m_full, id, R"({"rateLimit":null})"))["rateLimit"], nullptr);
    auto free = self(key);
    EXPECT_EQ(free.status, 200);
    EXPECT_FALSE(free.headers.count("RateLimit"));
}

TEST_F(PolicyPatch, BadRateLimitGets400NamingTheFieldAndChangesNothing) {
    patch(m_full, m_id, R"({"rateLimit":{"limit":5,"windowSeconds":60}})");
    expect_refused(R"({"rateLimit":{"limit":0,"windowSeconds":60}})", 400, "rateLimit.limit");
    expect_refused(R"({"rateLimit":{"limit":1000001,"windowSeconds":60}})", 400, "rateLimit.limit");
    expect_refused(R"({"rateLimit":{"limit":5,"windowSeconds":86401}})", 400,
                   "rateLimit.windowSeconds");
    expect_refused(R"({"rateLimit":{"limit":5}})", 400, "rateLimit.windowSeconds");
    expect_refused(R"({"rateLimit":{"limit":5,"windowSeconds":60,"burst":2}})", 400, "rateLimit");
    expect_refused(R"({"rateLimit":5})", 400, "rateLimit");
    expect_refused(R"({"name":"renamed","rateLimit":{"limit":1.5,"windowSeconds":60}})", 400,
                   "rateLimit.limit");
    EXPECT_EQ(listed(m_id)["rateLimit"], (json{{"limit", 5}, {"windowSeconds", 60}}));
}

TEST_F(PolicyPatch, RotationKeepsTheAllowedIpsAndTheRateLimitAndItsCount) {
    auto t = made(R"({"allowedIps":["127.0.0.1"],"rateLimit":{"limit":3,"windowSeconds":3600}})");
    EXPECT_EQ(status_of(t["key"]), 200);
    auto rotated = first(rotate(m_full, t["_id"]));
    EXPECT_EQ(rotated["allowedIps"], json{"127.0.0.1/32"});
    EXPECT_EQ(rotated["rateLimit"], (json{{"limit", 3}, {"windowSeconds", 3600}}));
    std::string key = rotated["key"];
    EXPECT_EQ(status_of(key), 200);
    EXPECT_EQ(status_of(key), 200);
    EXPECT_EQ(status_of(key), 429); // the window counted the old key's use too
    patch(m_full, t["_id"], R"({"allowedIps":["192.0.2.0/24"]})");
    EXPECT_EQ(self(key).status, 403); // the address is checked before the rate limit
}
