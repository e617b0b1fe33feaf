// Shared set-up for the token, account, conventions and bad-input API tests: a TestServer with
// one account ("alice") holding a full-access token, and assertions for the SPEC §4 envelope.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <set>
#include <string>

#include "support/test_server.hpp"

namespace tokend::test {

inline std::set<std::string> keys_of(const nlohmann::json& object) {
    std::set<std::string> keys;
    for (const auto& item : object.items()) {
        keys.insert(item.key());
    }
    return keys;
}

inline bool is_timestamp(const nlohmann::json& value) {
    static const std::regex kFormat(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$)");
    return value.is_string() && std::regex_match(value.get<std::string>(), kFormat);
}

inline bool is_object_id(const nlohmann::json& value) {
    static const std::regex kFormat("^[0-9a-f]{24}$");
    return value.is_string() && std::regex_match(value.get<std::string>(), kFormat);
}

inline bool contains_token_prefix(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text.find("dft_") != std::string::npos;
}

inline std::string message_of(const Reply& reply) {
    if (reply.body.is_object() && reply.body.contains("error") &&
        reply.body["error"].contains("message") && reply.body["error"]["message"].is_string()) {
        return reply.body["error"]["message"].get<std::string>();
    }
    return "";
}

// SPEC §4: every failure is {"status":"error","error":{"code":<status>,"message":…}} as JSON.
inline void expect_error(const Reply& reply, int status) {
    EXPECT_EQ(reply.status, status) << reply.raw;
    ASSERT_TRUE(reply.body.is_object()) << "not a JSON object: " << reply.raw;
    EXPECT_EQ(keys_of(reply.body), (std::set<std::string>{"status", "error"})) << reply.raw;
    EXPECT_EQ(reply.body["status"], "error");
    ASSERT_TRUE(reply.body["error"].is_object()) << reply.raw;
    EXPECT_EQ(keys_of(reply.body["error"]), (std::set<std::string>{"code", "message"}));
    EXPECT_EQ(reply.body["error"]["code"], status);
    EXPECT_FALSE(message_of(reply).empty()) << reply.raw;
    EXPECT_EQ(reply.header("Content-Type").rfind("application/json", 0), 0u)
        << reply.header("Content-Type");
}

// A success body's data array.
inline nlohmann::json data_of(const Reply& reply) {
    EXPECT_EQ(reply.status, 200) << reply.raw;
    EXPECT_EQ(reply.body.value("status", ""), "success") << reply.raw;
    EXPECT_TRUE(reply.body.contains("data") && reply.body["data"].is_array()) << reply.raw;
    return reply.body.is_object() ? reply.body.value("data", nlohmann::json::array())
                                  : nlohmann::json::array();
}

// The first release's fields plus SPEC §11.1's, all always present.
inline const std::set<std::string> kFirstReleaseTokenKeys = {
    "_id", "name", "displayKey", "scope", "permissions", "websiteIds", "lastUsedAt", "createdAt"};
inline const std::set<std::string> kTokenKeys = {
    "_id",        "name",      "displayKey", "scope", "permissions", "websiteIds",
    "lastUsedAt", "createdAt", "expiresAt",  "state", "rotatedAt",   "previousKeyExpiresAt",
    "allowedIps", "rateLimit"};

inline const std::string kTokensPath = "/api/v1/admin/access-tokens";

class TokenApi : public ::testing::Test {
protected:
    explicit TokenApi(AppConfig config = {}) : m_server(std::move(config)) {
        m_alice_id = m_server.create_account("alice@example.com");
        m_full = m_server.create_token("alice@example.com");
    }

    Reply list(const std::string& token) { return m_server.get(kTokensPath, token); }
    Reply create(const std::string& token, const std::string& body) {
        return m_server.post(kTokensPath, token, body);
    }
    Reply revoke(const std::string& token, const std::string& id) {
        return m_server.del(kTokensPath + "/" + id, token);
    }
    // The created token object (data[0]); fails the test if the create did not succeed.
    nlohmann::json created(const std::string& token, const std::string& body) {
        auto data = data_of(create(token, body));
        EXPECT_EQ(data.size(), 1u);
        return data.empty() ? nlohmann::json::object() : data[0];
    }
    // alice's live tokens as the full-access token sees them.
    nlohmann::json live_tokens() { return data_of(list(m_full)); }
    std::string id_of(const std::string& token) {
        for (const auto& t : live_tokens()) {
            std::string key_start = token.substr(0, 7);
            std::string key_end = token.substr(token.size() - 4);
            if (t["displayKey"] == key_start + "..." + key_end) {
                return t["_id"];
            }
        }
        ADD_FAILURE() << "token not in the list";
        return "";
    }

    TestServer m_server;
    std::string m_alice_id;
    std::string m_full; // alice's `*` token on every website
};

} // namespace tokend::test
