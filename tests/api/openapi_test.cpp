// GET /api/v1/openapi.json (SPEC §13) and its coverage: the document's operations and the
// router's table must be the same set. Rules: placeholders compare by position, not name
// ({id} == {tokenId}); a path parameter whose schema is an `enum` stands for exactly those
// literal segments (how `/{file}` documents the admin page's files); the routes listed in
// tests/openapi/pending.txt are documented before their branch is merged.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <regex>
#include <set>

#include "doc_embedded.hpp"
#include "support/test_server.hpp"

using nlohmann::json;
using tokend::test::TestServer;

namespace {
using Operations = std::set<std::string>; // "METHOD /path/{}"

std::string normalise(const std::string& path) {
    static const std::regex placeholder(R"(\{[^/}]*\})");
    return std::regex_replace(path, placeholder, "{}");
}

std::string upper(std::string text) {
    for (auto& c : text) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return text;
}

json served_document(TestServer& server) {
    auto reply = server.get("/api/v1/openapi.json");
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.header("Content-Type"), "application/json");
    return json::parse(reply.raw);
}

// A path parameter's enum, when it has one, else empty.
std::vector<std::string> enum_of(const json& path_item, const json& operation,
                                 const std::string& name) {
    for (const json* params : {&path_item, &operation}) {
        for (const auto& param : params->value("parameters", json::array())) {
            if (param.value("name", "") == name && param.value("in", "") == "path" &&
                param.contains("schema") && param["schema"].contains("enum")) {
                return param["schema"]["enum"].get<std::vector<std::string>>();
            }
        }
    }
    return {};
}

// "/{file}" with file in [a, b] → "/a", "/b"; other placeholders → "{}".
std::vector<std::string> expand(const std::string& path, const json& path_item,
                                const json& operation) {
    static const std::regex whole(R"(^\{([^/}]*)\}$)");
    std::vector<std::string> paths{""};
    std::size_t start = 1;
    while (start <= path.size()) {
        auto end = path.find('/', start);
        std::string segment = path.substr(start, end == std::string::npos ? end : end - start);
        std::smatch m;
        std::vector<std::string> choices{segment};
        if (std::regex_match(segment, m, whole)) {
            auto values = enum_of(path_item, operation, m[1]);
            choices = values.empty() ? std::vector<std::string>{"{}"} : values;
        }
        std::vector<std::string> next;
        for (const auto& prefix : paths) {
            for (const auto& choice : choices) {
                next.push_back(prefix + "/" + choice);
            }
        }
        paths = std::move(next);
        if (end == std::string::npos) {
            break;
        }
        start = end + 1;
    }
    return paths;
}

Operations documented(const json& doc) {
    Operations operations;
    for (const auto& [path, item] : doc.at("paths").items()) {
        for (const auto& [method, operation] : item.items()) {
            if (method == "parameters" || method == "summary" || method == "description") {
                continue;
            }
            for (const auto& concrete : expand(path, item, operation)) {
                operations.insert(upper(method) + " " + normalise(concrete));
            }
        }
    }
    return operations;
}

Operations routed(TestServer& server) {
    Operations operations;
    for (const auto& route : server.app().routes()) {
        operations.insert(route.method + " " + route.pattern);
    }
    return operations;
}

Operations pending() {
    std::ifstream file(TOKEND_SOURCE_DIR "/tests/openapi/pending.txt");
    EXPECT_TRUE(file) << "tests/openapi/pending.txt is missing";
    Operations operations;
    for (std::string line; std::getline(file, line);) {
        if (line.empty() || line.front() == '#' || line.starts_with("FIELD ")) {
            continue;
        }
        auto space = line.find(' ');
        operations.insert(line.substr(0, space) + " " + normalise(line.substr(space + 1)));
    }
    return operations;
}

Operations minus(const Operations& a, const Operations& b) {
    Operations out;
    std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::inserter(out, out.end()));
    return out;
}

std::string listed(const Operations& operations) {
    std::string text;
    for (const auto& op : operations) {
        text += "\n  " + op;
    }
    return text;
}
} // namespace

TEST(OpenApi, ServedWithoutAuthenticationAsTheEmbeddedJson) {
    TestServer server;
    auto reply = server.get("/api/v1/openapi.json");
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.header("Content-Type"), "application/json");
    EXPECT_EQ(reply.raw, tokend::doc::openapi);
    ASSERT_TRUE(reply.body.is_object());
    EXPECT_TRUE(reply.body["openapi"].get<std::string>().starts_with("3.1."))
        << reply.body["openapi"];
}

TEST(OpenApi, EveryRoutedOperationIsDocumented) {
    TestServer server;
    auto missing = minus(routed(server), documented(served_document(server)));
    EXPECT_TRUE(missing.empty()) << "in the router but not in src/http/openapi.json:"
                                 << listed(missing);
}

TEST(OpenApi, EveryDocumentedOperationIsRoutedUnlessPending) {
    TestServer server;
    auto extra = minus(minus(documented(served_document(server)), pending()), routed(server));
    EXPECT_TRUE(extra.empty()) << "in src/http/openapi.json but not in the router (and not in "
                                  "tests/openapi/pending.txt):"
                               << listed(extra);
}

TEST(OpenApi, PendingRoutesAreDocumentedAndNotYetRouted) {
    TestServer server;
    auto doc = documented(served_document(server));
    auto routes = routed(server);
    for (const auto& op : pending()) {
        EXPECT_TRUE(doc.contains(op)) << op << " is pending but not documented";
        EXPECT_FALSE(routes.contains(op))
            << op << " is routed now: delete its line from tests/openapi/pending.txt";
    }
}

TEST(OpenApi, EveryErrorAnswerInJsonIsTheEnvelope) {
    json doc = json::parse(tokend::doc::openapi);
    const auto& responses = doc["components"]["responses"];
    for (const auto& [path, item] : doc["paths"].items()) {
        for (const auto& [method, operation] : item.items()) {
            if (!operation.contains("responses")) {
                continue;
            }
            for (const auto& [status, response] : operation["responses"].items()) {
                if (status < "400") {
                    continue;
                }
                const json& resolved =
                    response.contains("$ref")
                        ? responses[response["$ref"].get<std::string>().substr(23)]
                        : response;
                EXPECT_EQ(resolved["content"]["application/json"]["schema"]["$ref"],
                          "#/components/schemas/Error")
                    << method << " " << path << " " << status;
            }
        }
    }
}

TEST(OpenApi, SecurityIsBearerOrSessionCookieAndPublicRoutesSayNone) {
    // A route added with add_public must say `security: []` (or its own scheme); one added
    // with add inherits the document's bearer-or-session default.
    json doc = json::parse(tokend::doc::openapi);
    ASSERT_EQ(doc["security"], json::parse(R"([{"bearerAuth":[]},{"sessionCookie":[]}])"));
    EXPECT_EQ(doc["components"]["securitySchemes"]["sessionCookie"]["name"], "tokend_session");
    EXPECT_EQ(doc["components"]["securitySchemes"]["sessionCookie"]["in"], "cookie");
    EXPECT_EQ(doc["components"]["securitySchemes"]["bearerAuth"]["scheme"], "bearer");
    EXPECT_EQ(doc["paths"]["/healthz"]["get"]["security"], json::array());
    EXPECT_EQ(doc["paths"]["/api/v1/openapi.json"]["get"]["security"], json::array());
}
