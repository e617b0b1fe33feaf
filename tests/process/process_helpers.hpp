// Running the real tokend binary (TOKEND_BIN): one-shot CLI commands with captured output, a
// server process whose port is read from its "listening on http://HOST:PORT" log line, and a
// real reverse proxy (nginx, Caddy) in front of it on a free loopback port.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/test_database.hpp"

extern char** environ;

namespace tokend::test {

inline std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

struct Launch {
    std::vector<std::string> args;          // after the binary name
    std::map<std::string, std::string> env; // TOKEND_* variables to set
    std::string stdin_text;                 // fed to the process's standard input
    std::filesystem::path cwd;              // working directory (a temp dir)
};

// Starts TOKEND_BIN with `launch`, stdout/stderr into `out`/`err`. Inherited TOKEND_* variables
// are dropped so the caller's environment cannot change the result (support/test_database.hpp
// adds the test's own database on the PostgreSQL run). Everything is prepared before
// fork() so the child only calls async-signal-safe functions.
inline pid_t spawn(const Launch& launch, const std::filesystem::path& out,
                   const std::filesystem::path& err) {
    static int counter = 0;
    auto input = launch.cwd / ("stdin-" + std::to_string(++counter));
    std::ofstream(input, std::ios::binary) << launch.stdin_text;
    std::vector<std::string> env_entries;
    for (char** e = environ; *e; ++e) {
        if (std::strncmp(*e, "TOKEND_", 7) != 0) {
            env_entries.emplace_back(*e);
        }
    }
    // On the PostgreSQL run every tokend a test starts uses the test's schema and key.
    std::map<std::string, std::string> env = launch.env;
    if (on_postgres()) {
        env.emplace("TOKEND_DATABASE", database_url());
        env.emplace("TOKEND_SECRET_KEY_FILE", secret_key_file().string());
    }
    for (const auto& [name, value] : env) {
        env_entries.push_back(name + "=" + value);
    }
    std::vector<std::string> args = launch.args;
    std::string bin = TOKEND_BIN;
    std::vector<char*> argv{bin.data()};
    for (auto& arg : args) {
        argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (auto& entry : env_entries) {
        envp.push_back(entry.data());
    }
    envp.push_back(nullptr);
    int in_fd = ::open(input.c_str(), O_RDONLY | O_CLOEXEC);
    int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    pid_t pid = ::fork();
    if (pid == 0) {
        if (in_fd < 0 || out_fd < 0 || err_fd < 0 || ::chdir(launch.cwd.c_str()) != 0 ||
            ::dup2(in_fd, 0) < 0 || ::dup2(out_fd, 1) < 0 || ::dup2(err_fd, 2) < 0) {
            ::_exit(127);
        }
        ::execve(bin.c_str(), argv.data(), envp.data());
        ::_exit(127);
    }
    for (int fd : {in_fd, out_fd, err_fd}) {
        if (fd >= 0) {
            ::close(fd);
        }
    }
    return pid;
}

// The exit code of a finished child, or 128 + signal.
inline int wait_exit_code(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

struct Result {
    int code = -1;
    std::string out;
    std::string err;
};

// Runs one CLI command to completion.
inline Result run_cli(const Launch& launch) {
    static int counter = 0;
    std::string tag = std::to_string(++counter);
    auto out = launch.cwd / ("out-" + tag);
    auto err = launch.cwd / ("err-" + tag);
    Result result;
    result.code = wait_exit_code(spawn(launch, out, err));
    result.out = read_file(out);
    result.err = read_file(err);
    return result;
}

inline int line_count(const std::string& text) {
    return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

// A `tokend serve` process; killed with SIGKILL if the test did not stop it.
class ServerProcess {
public:
    ServerProcess(Launch launch, std::filesystem::path log) : m_log(std::move(log)) {
        m_pid = spawn(launch, launch.cwd / "serve-stdout", m_log);
        m_port = wait_for_port();
    }
    ~ServerProcess() {
        if (m_pid > 0) {
            ::kill(m_pid, SIGKILL);
            wait_exit_code(m_pid);
        }
    }
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    int port() const { return m_port; }
    pid_t pid() const { return m_pid; }
    std::string log() const { return read_file(m_log); }
    // Sends `signal` and returns at once (for signals that must not stop the server).
    void send(int signal) const { ::kill(m_pid, signal); }
    // Sends `signal` and returns the exit code (128 + signal when killed by it). A process still
    // running after 30 s is killed and reported, so a lost signal fails the test instead of
    // hanging it.
    int stop(int signal) {
        ::kill(m_pid, signal);
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        int status = 0;
        while (::waitpid(m_pid, &status, WNOHANG) == 0) {
            if (std::chrono::steady_clock::now() > deadline) {
                ADD_FAILURE() << "tokend did not exit after signal " << signal;
                ::kill(m_pid, SIGKILL);
                ::waitpid(m_pid, &status, 0);
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        m_pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }

private:
    int wait_for_port() {
        static const std::regex kLine(R"(listening on https?://[^\s:]+:(\d+))");
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (std::chrono::steady_clock::now() < deadline) {
            std::smatch match;
            std::string text = log();
            if (std::regex_search(text, match, kLine)) {
                return std::stoi(match[1]);
            }
            int status = 0;
            if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
                m_pid = -1;
                ADD_FAILURE() << "tokend serve exited early: " << text;
                return -1;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        ADD_FAILURE() << "no 'listening on' line: " << log();
        return -1;
    }

    pid_t m_pid = -1;
    std::filesystem::path m_log;
    int m_port = -1;
};

// A port that was free a moment ago; a proxy cannot report the port it picked, so callers pick
// one and retry with another if the proxy loses the race for it (see ProxyProcess).
inline int free_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

// A reverse proxy run in the foreground as a child of the test. `configure(port)` writes its
// config for that port and returns its argv (absolute program path first); `env` is added to the
// inherited environment; its stdout and stderr go to `output` when given. The proxy must answer GET
// /ready with `marker` (the test's own temp prefix), so another process on the port is never
// mistaken for it. Up to five ports are tried.
class ProxyProcess {
public:
    using Configure = std::function<std::vector<std::string>(int port)>;

    ProxyProcess(Configure configure, std::string marker, int stop_signal,
                 std::vector<std::string> env = {}, std::filesystem::path output = {})
        : m_marker(std::move(marker)), m_stop_signal(stop_signal), m_env(std::move(env)),
          m_output(std::move(output)) {
        for (int attempt = 0; attempt < 5 && m_port < 0; ++attempt) {
            int port = free_port();
            start(configure(port));
            if (wait_until_serving(port)) {
                m_port = port;
            } else {
                stop();
            }
        }
    }
    ~ProxyProcess() { stop(); }
    ProxyProcess(const ProxyProcess&) = delete;
    ProxyProcess& operator=(const ProxyProcess&) = delete;

    // The port it serves on, or -1 if it never started.
    int port() const { return m_port; }

private:
    void start(std::vector<std::string> args) {
        std::vector<char*> argv;
        for (auto& arg : args) {
            argv.push_back(arg.data());
        }
        argv.push_back(nullptr);
        std::vector<std::string> env_entries;
        for (char** e = environ; *e; ++e) {
            env_entries.emplace_back(*e);
        }
        env_entries.insert(env_entries.end(), m_env.begin(), m_env.end());
        std::vector<char*> envp;
        for (auto& entry : env_entries) {
            envp.push_back(entry.data());
        }
        envp.push_back(nullptr);
        int out_fd = m_output.empty() ? -1
                                      : ::open(m_output.c_str(),
                                               O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        m_pid = ::fork();
        if (m_pid == 0) {
            if (out_fd >= 0 && (::dup2(out_fd, 1) < 0 || ::dup2(out_fd, 2) < 0)) {
                ::_exit(127);
            }
            ::execve(argv[0], argv.data(), envp.data());
            ::_exit(127);
        }
        if (out_fd >= 0) {
            ::close(out_fd);
        }
    }

    bool wait_until_serving(int port) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (std::chrono::steady_clock::now() < deadline) {
            int status = 0;
            if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
                m_pid = -1;
                return false;
            }
            httplib::Client client("127.0.0.1", port);
            client.set_connection_timeout(1, 0);
            auto res = client.Get("/ready");
            if (res && res->status == 200 && res->body == m_marker) {
                return true;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return false;
    }

    void stop() {
        if (m_pid > 0) {
            ::kill(m_pid, m_stop_signal);
            wait_exit_code(m_pid);
            m_pid = -1;
        }
    }

    std::string m_marker;
    int m_stop_signal;
    std::vector<std::string> m_env;
    std::filesystem::path m_output;
    pid_t m_pid = -1;
    int m_port = -1;
};

} // namespace tokend::test
