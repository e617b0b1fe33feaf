// The real App on 127.0.0.1:0 in a fresh data dir, served on a background thread, plus a real
// HTTP client and shortcuts to seed accounts, websites and tokens through the services.
#pragma once

#include <httplib.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>

#include "app.hpp"
#include "support/temp_dir.hpp"

namespace tokend::test {

struct Reply {
    int status = 0;
    nlohmann::json body; // parsed JSON, or null when the body is empty or not JSON
    httplib::Headers headers;
    std::string raw;
    std::string header(const std::string& name) const;
};

class TestServer {
public:
    explicit TestServer(AppConfig config = {});
    ~TestServer();

    App& app() { return *m_app; }
    int port() const { return m_port; }
    const std::filesystem::path& data_dir() const { return m_dir.path(); }
    // The key the server hashes tokens with (its data dir's, or the PostgreSQL run's shared one).
    std::string secret_key() const;

    // HTTP calls; `token` empty = no Authorization header. `body` is sent as application/json.
    Reply get(const std::string& path, const std::string& token = "");
    Reply post(const std::string& path, const std::string& token, const std::string& body);
    Reply put(const std::string& path, const std::string& token, const std::string& body);
    Reply del(const std::string& path, const std::string& token, const std::string& body = "");
    // Any request, with full control of headers.
    Reply send(const std::string& method, const std::string& path, const httplib::Headers& headers,
               const std::string& body = "", const std::string& content_type = "application/json");

    // Seeding through the services (not HTTP).
    std::string create_account(const std::string& email); // returns id
    std::string create_website(const std::string& owner_email, const std::string& domain); // id
    // A token for `email` with the given permissions ("a,b"; empty = "*") and websites ("id1,id2").
    std::string create_token(const std::string& email, const std::string& permissions = "",
                             const std::string& website_ids = "");

private:
    TempDir m_dir;
    std::unique_ptr<App> m_app;
    int m_port = 0;
    std::thread m_thread;
    httplib::Client m_client;
};

} // namespace tokend::test
