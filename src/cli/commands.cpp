// Each command: its flags, then a few lines that call the App's services and print the result.
// stdout carries only the result (an id, a raw token); everything else goes to stderr.
#include "cli/commands.hpp"

#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <iostream>
#include <iterator>
#include <thread>

#include "app.hpp"
#include "cli/backup_commands.hpp"
#include "cli/listen_address.hpp"
#include "cli/log_format.hpp"
#include "cli/log_sink.hpp"
#include "cli/options.hpp"
#include "cli/policy_flags.hpp"
#include "core/access.hpp"
#include "core/clock.hpp"
#include "core/duration.hpp"
#include "core/error.hpp"
#include "core/ip_range.hpp"
#include "core/permission.hpp"
#include "core/validate.hpp"
#include "datadir/lock.hpp"
#include "http/codec.hpp"
#include "http/front_door/open_files.hpp"
#include "service/ids.hpp"

namespace tokend::cli {

namespace {

constexpr const char* kHelp = R"(tokend — issues, scopes, checks and revokes API access tokens.

Usage:
  tokend serve          [--listen 127.0.0.1:8080] [--max-tokens-per-account 20]
                        [--header-timeout 10] [--keep-alive-timeout 5]
                        [--max-connections 4096] [--max-connections-per-address 256]
                        [--metrics-listen HOST:PORT]   (Prometheus /metrics; off by default)
                        [--trusted-proxy CIDR,...] [--disable-credentials-revoke]
                        [--max-token-lifetime DAYS] [--expired-token-retention 30]
                        [--audit-retention 90]   (days the audit log keeps events)
                        [--tls-cert FILE --tls-key FILE]   (HTTPS; SIGHUP reloads them)
  tokend account create --email E [--name N] [--password-stdin]
  tokend account set-password --email E --password-stdin
  tokend website create --owner E --domain D [--name N] [--timezone Area/City]
  tokend website list   --email E      (one line per website: id, domain, role)
  tokend website delete --id WEBSITE_ID
  tokend member add     --website ID --email E [--role viewer|member]
  tokend member remove  --website ID --email E
  tokend token create   --email E [--name N] [--permissions a,b] [--websites id1,id2]
                        [--expires-at 2027-01-01T00:00:00Z | --expires-in 90d|12h|30m]
                        [--allowed-ips CIDR,...] [--rate-limit REQUESTS/SECONDS]
  tokend token rotate   --id TOKEN_ID [--grace 1h] [--expires-at ISO | --expires-in 90d]
                        (prints only the new key; with a grace the old key works that long)
  tokend token revoke   --id TOKEN_ID
  tokend audit list     [--since ISO] [--format text|jsonl]   (every account's
                        audit events, oldest first)
  tokend backup         --to DIR       (while a server runs; DIR must be new or empty)
  tokend restore        --from DIR [--force]   (the server must be stopped)
  tokend --help | --version

Every command takes --data-dir DIR (default ./data), --log-level
trace|debug|info|warn|error (default info) and --log-format text|json (default
text; json writes one object per line). Every flag can also be set with an
environment variable: --data-dir is TOKEND_DATA_DIR, --listen is TOKEND_LISTEN, and
so on; a flag beats the variable, the variable beats the default.

serve's connection limits: a request's headers must arrive within --header-timeout
seconds of its first byte (else 408); an idle keep-alive connection is closed after
--keep-alive-timeout seconds; beyond --max-connections open connections, or
--max-connections-per-address from one client address, a new connection gets a 503
and is closed.

With --tls-cert and --tls-key (PEM files: the certificate chain and its private
key) serve speaks HTTPS only, TLS 1.2 or newer. SIGHUP re-reads both files: new
connections get the new certificate, open ones keep theirs; if the new files cannot
be loaded the server logs why and keeps the old certificate.

`tokend backup` copies tokend.db (SQLite's online backup) and secret.key, with a
manifest that `tokend restore` checks before it replaces anything; --force is needed
to restore over a data dir that already holds a database or key. Without secret.key
no token can be checked, so keep backups as private as the data dir.

serve --trusted-proxy lists the reverse proxies (addresses or CIDR ranges) whose
X-Real-IP / X-Forwarded-For give the client's address; from any other peer those
headers are ignored. --disable-credentials-revoke turns off the unauthenticated
leak-report route POST /api/v1/credentials/revoke.

token create --allowed-ips limits where the token may be used from (addresses or
CIDR ranges, comma-separated); --rate-limit 600/60 allows it at most 600 requests
per 60 seconds. Both can be changed later with PATCH; rotation keeps them.
Exit codes: 0 success, 2 usage error, 1 other failure.
)";

struct Command {
    std::vector<std::string> words;
    std::vector<FlagSpec> flags;
    std::function<int(const Options&)> run;
};

const std::vector<FlagSpec> kCommonFlags = {
    {"data-dir"}, {"database"}, {"secret-key-file"}, {"log-level"}, {"log-format"}};

AppConfig app_config(const Options& options) {
    AppConfig config;
    config.data_dir = options.get_or("data-dir", "data");
    config.database = options.get_or("database", "");
    config.secret_key_file = options.get_or("secret-key-file", "");
    if (!config.database.empty() && config.secret_key_file.empty()) {
        throw UsageError("--database needs --secret-key-file: every node on one database must "
                         "hash tokens with the same key (see docs/scale-out.md)");
    }
    config.max_tokens_per_account = options.get_int("max-tokens-per-account", 20, 1, 100'000);
    if (options.get("max-token-lifetime")) {
        config.max_token_lifetime =
            std::chrono::days(options.get_int("max-token-lifetime", 0, 1, 36'500));
    }
    config.expired_token_retention =
        std::chrono::days(options.get_int("expired-token-retention", 30, 0, 36'500));
    config.audit_retention = std::chrono::days(options.get_int("audit-retention", 90, 1, 36'500));
    return config;
}

// --expires-at ISO or --expires-in DURATION (from now); neither = omitted.
service::RequestedExpiry requested_expiry(const Options& options) {
    auto at = options.get("expires-at");
    auto in = options.get("expires-in");
    if (at && in) {
        throw UsageError("give --expires-at or --expires-in, not both");
    }
    if (at) {
        auto moment = core::parse_timestamp(*at);
        if (!moment) {
            throw UsageError("--expires-at must be an ISO-8601 UTC date-time such as "
                             "2027-01-01T00:00:00Z");
        }
        return core::Expiry(*moment);
    }
    if (in) {
        auto duration = core::parse_duration(*in);
        if (!duration || duration->count() == 0) {
            throw UsageError("--expires-in must be a duration such as 90d, 12h or 30m");
        }
        return core::Expiry(std::chrono::system_clock::now() + *duration);
    }
    return std::nullopt;
}

std::string read_password_from_stdin() {
    std::string password((std::istreambuf_iterator<char>(std::cin)),
                         std::istreambuf_iterator<char>());
    if (password.ends_with('\n')) {
        password.pop_back();
    }
    if (password.ends_with('\r')) {
        password.pop_back();
    }
    return password;
}

std::vector<std::string> split_commas(const std::string& text) {
    std::vector<std::string> items;
    std::string item;
    for (char c : text + ",") {
        if (c == ',') {
            if (!item.empty()) {
                items.push_back(item);
            }
            item.clear();
        } else if (c != ' ') {
            item.push_back(c);
        }
    }
    return items;
}

// Blocks SIGINT/SIGTERM/SIGHUP in every thread started afterwards; a watcher thread turns the
// first two into a graceful stop (in-flight requests finish, lastUsedAt is flushed, the DB is
// closed). SIGHUP is the reload signal (systemd's ExecReload): it must never kill the server.
sigset_t block_serve_signals() {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    return signals;
}

http::ServerSettings server_settings(const Options& options) {
    http::ServerSettings settings;
    settings.header_timeout_seconds = options.get_int("header-timeout", 10, 1, 3600);
    settings.keep_alive_seconds = options.get_int("keep-alive-timeout", 5, 1, 3600);
    settings.max_connections = options.get_int("max-connections", 4096, 1, 1'000'000);
    settings.max_connections_per_address =
        options.get_int("max-connections-per-address", 256, 1, 1'000'000);
    auto cert = options.get("tls-cert");
    auto key = options.get("tls-key");
    if (cert.has_value() != key.has_value()) {
        throw UsageError("--tls-cert and --tls-key go together: give both or neither");
    }
    if (cert) {
        settings.tls_cert_file = *cert;
        settings.tls_key_file = *key;
    }
    return settings;
}

// SIGHUP: re-read the TLS certificate and key; a failure keeps the old ones serving.
void reload(App& app, const http::ServerSettings& settings) {
    if (!settings.tls()) {
        spdlog::info("SIGHUP: nothing to reload (no --tls-cert)");
        return;
    }
    try {
        app.reload_tls();
        spdlog::info("SIGHUP: reloaded TLS certificate {} and key {}",
                     settings.tls_cert_file.string(), settings.tls_key_file.string());
    } catch (const std::exception& error) {
        spdlog::error("SIGHUP: TLS reload failed, keeping the old certificate: {}", error.what());
    }
}

core::IpRanges trusted_proxies(const Options& options) {
    return ip_ranges_flag(options.get_or("trusted-proxy", ""), "--trusted-proxy");
}

int serve(const Options& options) {
    ListenAddress address = parse_listen_address(options.get_or("listen", "127.0.0.1:8080"));
    std::optional<ListenAddress> metrics_address;
    if (auto text = options.get("metrics-listen")) {
        metrics_address = parse_listen_address(*text, "metrics-listen");
    }
    AppConfig config = app_config(options);
    config.server = server_settings(options);
    // Each connection holds a descriptor: let thousands fit (the soft limit is often 1024).
    long open_files = http::front_door::raise_open_file_limit();
    if (open_files >= 0 && open_files < config.server.max_connections + 64) {
        spdlog::warn("only {} open files allowed (RLIMIT_NOFILE): fewer than --max-connections {}",
                     open_files, config.server.max_connections);
    }
    // Held until serve returns: `tokend restore` refuses this data dir while a server runs.
    // On PostgreSQL a node keeps nothing in a data dir, so there is none to lock.
    std::optional<datadir::DataDirLock> lock;
    if (config.database.empty()) {
        lock.emplace(datadir::DataDirLock::for_serve(config.data_dir));
    }
    config.server.trusted_proxies = trusted_proxies(options);
    config.server.credentials_revoke = !options.flag("disable-credentials-revoke");
    sigset_t signals = block_serve_signals();
    App app(config);
    int port = app.bind(address.host, address.port);
    if (metrics_address) {
        int metrics_port = app.bind_metrics(metrics_address->host, metrics_address->port);
        spdlog::log(std::max(spdlog::get_level(), spdlog::level::info), "metrics on {}/metrics",
                    metrics_address->url(metrics_port));
    }
    std::atomic<bool> stopped{false};
    std::thread watcher([&] {
        timespec tick{0, 200'000'000};
        while (!stopped) {
            int signal = sigtimedwait(&signals, nullptr, &tick);
            if (signal == SIGHUP) {
                reload(app, config.server);
            } else if (signal > 0) {
                spdlog::info("stopping: finishing in-flight requests");
                // cpp-httplib 0.11.4 ignores stop() until its accept loop runs, so a signal that
                // arrives right after the "listening on" line would be lost: wait for the loop.
                while (!app.is_running() && !stopped) {
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
                }
                app.stop();
                return;
            }
        }
    });
    if (auto code = app.sessions().open_setup()) {
        // Shown once per start while no account exists; it can create only the first account.
        // Logged before "listening on", so whoever waits for that line has the code too.
        spdlog::warn("no account exists yet: open {} and use the first-run setup code: {}",
                     address.url(port, config.server.tls()), *code);
    }
    // Scripts find a port-0 server by this line, so it passes any --log-level short of "off".
    spdlog::log(std::max(spdlog::get_level(), spdlog::level::info), "listening on {}",
                address.url(port, config.server.tls()));
    app.serve();
    stopped = true;
    watcher.join();
    spdlog::info("stopped");
    return 0;
}

int account_create(const Options& options) {
    App app(app_config(options));
    std::optional<std::string> password;
    if (options.flag("password-stdin")) {
        password = read_password_from_stdin();
    }
    auto name = options.get("name");
    auto account = app.accounts().create(
        options.require("email"), name ? std::optional<std::string_view>(*name) : std::nullopt,
        password ? std::optional<std::string_view>(*password) : std::nullopt);
    std::cout << account.id << std::endl;
    return 0;
}

int account_set_password(const Options& options) {
    std::string email = options.require("email");
    if (!options.flag("password-stdin")) {
        throw UsageError(
            "--password-stdin is required: passwords are read only from standard input");
    }
    std::string password = read_password_from_stdin();
    App app(app_config(options));
    app.accounts().set_password(email, password);
    std::cerr << "password set" << std::endl;
    return 0;
}

int website_create(const Options& options) {
    std::string owner = options.require("owner");
    service::WebsiteDraft draft{options.require("domain"), options.get("name"),
                                options.get("timezone")};
    App app(app_config(options));
    auto account = app.accounts().by_email(owner);
    auto website = app.websites().create_owned(account.id, draft);
    std::cout << website.id << std::endl;
    return 0;
}

// One line per website the account is on: id, domain, role (tab-separated), oldest first.
int website_list(const Options& options) {
    std::string email = options.require("email");
    App app(app_config(options));
    auto account = app.accounts().by_email(email);
    for (const auto& view : app.websites().views_of_account(account.id)) {
        std::cout << view.website.id << '\t' << view.website.domain << '\t'
                  << core::role_name(view.role) << '\n';
    }
    std::cout << std::flush;
    return 0;
}

// Memberships go with the website; tokens that named it keep the id, which now reaches nothing.
int website_delete(const Options& options) {
    std::string id = service::parse_id(options.require("id"), "--id");
    App app(app_config(options));
    app.websites().delete_any(id);
    std::cerr << "deleted website " << id << std::endl;
    return 0;
}

int member_add(const Options& options) {
    std::string website = service::parse_id(options.require("website"), "--website");
    std::string email = options.require("email");
    auto role = core::parse_role(options.get_or("role", "viewer"));
    if (!role || *role == core::Role::Owner) {
        throw UsageError("--role must be viewer or member");
    }
    App app(app_config(options));
    auto account = app.accounts().by_email(email);
    app.websites().add_member_any(website, account.id, *role);
    std::cerr << "added " << account.email << " as " << core::role_name(*role) << std::endl;
    return 0;
}

// Takes effect on the server's next request: roles are read at the moment of use.
int member_remove(const Options& options) {
    std::string website = service::parse_id(options.require("website"), "--website");
    std::string email = options.require("email");
    App app(app_config(options));
    auto account = app.accounts().by_email(email);
    app.websites().remove_member_any(website, account.id);
    std::cerr << "removed " << account.email << std::endl;
    return 0;
}

int token_create(const Options& options) {
    std::string email = options.require("email");
    service::TokenRequest request;
    if (auto name = options.get("name")) {
        request.name = core::normalize_name(*name, "--name");
    }
    if (auto list = options.get("permissions")) {
        core::Permissions permissions;
        for (const auto& text : split_commas(*list)) {
            auto permission = core::parse_permission(text);
            if (!permission) {
                throw UsageError("--permissions: unknown permission " +
                                 core::quote_for_message(text));
            }
            permissions.push_back(*permission);
        }
        request.permissions = permissions;
    }
    if (auto list = options.get("websites")) {
        std::vector<std::string> ids;
        for (const auto& text : split_commas(*list)) {
            ids.push_back(service::parse_id(text, "--websites"));
        }
        request.website_ids = ids;
    }
    request.expires_at = requested_expiry(options);
    if (auto list = options.get("allowed-ips")) {
        request.allowed_ips = ip_ranges_flag(*list, "--allowed-ips");
    }
    if (auto limit = options.get("rate-limit")) {
        request.rate_limit = std::optional(rate_limit_flag(*limit));
    }
    App app(app_config(options));
    auto account = app.accounts().by_email(email);
    auto created = app.tokens().create(core::cli_access(account.id), request);
    std::cout << created.key << std::endl;
    return 0;
}

// stdout gets the new key and nothing else, so `KEY=$(tokend token rotate --id …)` works.
int token_rotate(const Options& options) {
    std::string id = options.require("id");
    service::RotateRequest request;
    if (auto grace = options.get("grace")) {
        auto duration = core::parse_duration(*grace);
        if (!duration || duration->count() > service::kMaxGraceSeconds) {
            throw UsageError("--grace must be a duration from 0 to 7d, such as 1h or 30m");
        }
        request.grace_seconds = static_cast<int>(duration->count());
    }
    request.expires_at = requested_expiry(options);
    App app(app_config(options));
    auto rotated = app.tokens().rotate_any(id, request);
    std::cout << rotated.key << std::endl;
    return 0;
}

int token_revoke(const Options& options) {
    std::string id = options.require("id");
    App app(app_config(options));
    app.tokens().revoke_any(id);
    std::cerr << "revoked " << id << std::endl;
    return 0;
}

// Every account's events, oldest first: one line each, text or one JSON object per line.
int audit_list(const Options& options) {
    std::optional<std::string> since;
    if (auto text = options.get("since")) {
        auto when = core::parse_timestamp(*text);
        if (!when) {
            throw UsageError("--since must be an ISO-8601 UTC time like 2027-01-01T00:00:00Z");
        }
        since = core::format_timestamp(*when);
    }
    std::string format = options.get_or("format", "text");
    if (format != "text" && format != "jsonl") {
        throw UsageError("--format must be text or jsonl");
    }
    App app(app_config(options));
    for (const auto& e : app.audit().all_since(since)) {
        if (format == "jsonl") {
            std::cout << http::audit_event_json(e).dump() << '\n';
            continue;
        }
        std::cout << e.created_at << ' ' << e.event << ' ' << core::outcome_name(e.success)
                  << " actor=" << core::actor_type_name(e.actor.type) << ':'
                  << e.actor.id.value_or("-") << " account=" << e.account_id.value_or("-")
                  << " target="
                  << (e.target ? e.target->type + ":" + e.target->id.value_or("-")
                               : std::string("-"))
                  << " ip=" << e.ip.value_or("-") << '\n';
    }
    std::cout << std::flush;
    return 0;
}

std::vector<Command> commands() {
    return {
        {{"serve"},
         {{"listen"},
          {"max-tokens-per-account"},
          {"header-timeout"},
          {"keep-alive-timeout"},
          {"max-connections"},
          {"max-connections-per-address"},
          {"metrics-listen"},
          {"trusted-proxy"},
          {"disable-credentials-revoke", false},
          {"max-token-lifetime"},
          {"expired-token-retention"},
          {"audit-retention"},
          {"tls-cert"},
          {"tls-key"}},
         serve},
        {{"account", "create"}, {{"email"}, {"name"}, {"password-stdin", false}}, account_create},
        {{"account", "set-password"}, {{"email"}, {"password-stdin", false}}, account_set_password},
        {{"website", "create"}, {{"owner"}, {"domain"}, {"name"}, {"timezone"}}, website_create},
        {{"website", "list"}, {{"email"}}, website_list},
        {{"website", "delete"}, {{"id"}}, website_delete},
        {{"member", "add"}, {{"website"}, {"email"}, {"role"}}, member_add},
        {{"member", "remove"}, {{"website"}, {"email"}}, member_remove},
        {{"token", "create"},
         {{"email"},
          {"name"},
          {"permissions"},
          {"websites"},
          {"expires-at"},
          {"expires-in"},
          {"allowed-ips"},
          {"rate-limit"},
          {"max-tokens-per-account"},
          {"max-token-lifetime"}},
         token_create},
        {{"token", "rotate"},
         {{"id"}, {"grace"}, {"expires-at"}, {"expires-in"}, {"max-token-lifetime"}},
         token_rotate},
        {{"token", "revoke"}, {{"id"}}, token_revoke},
        {{"audit", "list"}, {{"since"}, {"format"}}, audit_list},
        {{"backup"}, {{"to"}}, backup_command},
        {{"restore"}, {{"from"}, {"force", false}}, restore_command},
    };
}

void set_up_logging(const Options& options) {
    // Logs go to stderr: stdout is reserved for a command's result (`TOKEN=$(tokend token create
    // …)`). Lines are written in batches by one background thread (cli/log_sink.hpp), so a
    // request thread never waits for the write of its access-log line. The thread is started
    // with every signal blocked, so a SIGTERM/SIGINT/SIGHUP meant for serve's watcher never
    // lands on it.
    sigset_t all_signals;
    sigfillset(&all_signals);
    sigset_t previous;
    pthread_sigmask(SIG_BLOCK, &all_signals, &previous);
    auto logger = std::make_shared<spdlog::logger>("tokend", std::make_shared<BatchedStderrSink>());
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    spdlog::set_default_logger(logger);
    auto level = spdlog::level::from_str(options.get_or("log-level", "info"));
    if (level == spdlog::level::off && options.get_or("log-level", "info") != "off") {
        throw UsageError("--log-level must be trace, debug, info, warn, error or off");
    }
    spdlog::set_level(level);
    if (!apply_log_format(options.get_or("log-format", "text"))) {
        throw UsageError("--log-format must be text or json");
    }
}

// Exit status for a domain error: bad values are usage errors, the rest are failures.
int report(const core::Error& error) {
    std::cerr << "tokend: " << error.what() << std::endl;
    return error.code() == core::ErrorCode::InvalidInput ? 2 : 1;
}

} // namespace

int run(const std::vector<std::string>& words) {
    if (words.empty()) {
        // A usage error like any other: one line on stderr, nothing on stdout, exit 2.
        std::cerr << "tokend: no command given; see tokend --help" << std::endl;
        return 2;
    }
    if (words[0] == "--help" || words[0] == "-h" || words[0] == "help") {
        std::cout << kHelp;
        return 0;
    }
    if (words[0] == "--version") {
        std::cout << "tokend " << TOKEND_VERSION << std::endl;
        return 0;
    }
    try {
        for (const auto& command : commands()) {
            if (words.size() < command.words.size() ||
                !std::equal(command.words.begin(), command.words.end(), words.begin())) {
                continue;
            }
            std::vector<std::string> args(words.begin() + static_cast<long>(command.words.size()),
                                          words.end());
            if (std::find(args.begin(), args.end(), "--help") != args.end()) {
                std::cout << kHelp;
                return 0;
            }
            auto flags = command.flags;
            flags.insert(flags.end(), kCommonFlags.begin(), kCommonFlags.end());
            Options options(args, flags);
            set_up_logging(options);
            return command.run(options);
        }
        throw UsageError("unknown command '" + words[0] + "'; see tokend --help");
    } catch (const UsageError& error) {
        std::cerr << "tokend: " << error.what() << std::endl;
        return 2;
    } catch (const core::Error& error) {
        return report(error);
    } catch (const std::exception& error) {
        std::cerr << "tokend: " << error.what() << std::endl;
        return 1;
    }
}

} // namespace tokend::cli
