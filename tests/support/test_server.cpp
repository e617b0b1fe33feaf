// TestServer: start, stop and the HTTP shortcuts.
#include "support/test_server.hpp"

#include "core/access.hpp"
#include "core/permission.hpp"
#include "crypto/token_hasher.hpp"
#include "support/test_database.hpp"

namespace tokend::test {

namespace {
AppConfig with_dir(AppConfig config, const std::filesystem::path& dir) {
    config.data_dir = dir / "data";
    return on_test_database(std::move(config));
}

std::vector<std::string> split(const std::string& text) {
    std::vector<std::string> items;
    if (!text.empty()) {
        items = core::split_list(text);
    }
    return items;
}
} // namespace

std::string TestServer::secret_key() const {
    return crypto::read_secret_key(on_postgres() ? secret_key_file()
                                                 : m_dir.path() / "data" / "secret.key");
}

std::string Reply::header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
}

TestServer::TestServer(AppConfig config)
    : m_app(std::make_unique<App>(with_dir(std::move(config), m_dir.path()))),
      m_port(m_app->bind("127.0.0.1", 0)), m_thread([this] { m_app->serve(); }),
      m_client("127.0.0.1", m_port) {
    m_client.set_read_timeout(30, 0);
    // stop() before the accept loop starts would be lost (cpp-httplib 0.11.4), so wait for it.
    while (!m_app->is_running()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

TestServer::~TestServer() {
    m_app->stop();
    m_thread.join();
    m_app.reset();
}

Reply TestServer::send(const std::string& method, const std::string& path,
                       const httplib::Headers& headers, const std::string& body,
                       const std::string& content_type) {
    httplib::Request req;
    req.method = method;
    req.path = path;
    req.headers = headers;
    if (!body.empty()) {
        req.body = body;
        req.set_header("Content-Type", content_type);
    }
    auto result = m_client.send(req);
    if (!result) {
        throw std::runtime_error("HTTP request failed: " + httplib::to_string(result.error()));
    }
    Reply reply;
    reply.status = result->status;
    reply.headers = result->headers;
    reply.raw = result->body;
    reply.body = nlohmann::json::parse(result->body, nullptr, false);
    if (reply.body.is_discarded()) {
        reply.body = nullptr;
    }
    return reply;
}

namespace {
httplib::Headers auth(const std::string& token) {
    httplib::Headers headers;
    if (!token.empty()) {
        headers.emplace("Authorization", "Bearer " + token);
    }
    return headers;
}
} // namespace

Reply TestServer::get(const std::string& path, const std::string& token) {
    return send("GET", path, auth(token));
}

Reply TestServer::post(const std::string& path, const std::string& token, const std::string& body) {
    return send("POST", path, auth(token), body);
}

Reply TestServer::put(const std::string& path, const std::string& token, const std::string& body) {
    return send("PUT", path, auth(token), body);
}

Reply TestServer::del(const std::string& path, const std::string& token, const std::string& body) {
    return send("DELETE", path, auth(token), body);
}

std::string TestServer::create_account(const std::string& email) {
    return m_app->accounts().create(email, std::nullopt, std::nullopt).id;
}

std::string TestServer::create_website(const std::string& owner_email, const std::string& domain) {
    auto owner = m_app->accounts().by_email(owner_email);
    return m_app->websites().create_owned(owner.id, {domain, std::nullopt, std::nullopt}).id;
}

std::string TestServer::create_token(const std::string& email, const std::string& permissions,
                                     const std::string& website_ids) {
    auto account = m_app->accounts().by_email(email);
    service::TokenRequest request;
    if (!permissions.empty()) {
        core::Permissions parsed;
        for (const auto& name : split(permissions)) {
            parsed.push_back(core::parse_permission(name).value());
        }
        request.permissions = parsed;
    }
    if (!website_ids.empty()) {
        request.website_ids = split(website_ids);
    }
    return m_app->tokens().create(core::cli_access(account.id), request).key;
}

} // namespace tokend::test
