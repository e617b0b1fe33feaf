// Held-connection benchmark (bench/run.sh): against a running tokend, opens IDLE connections
// that send nothing and SLOW ones that drip one header byte per second, then prints the latency
// of fresh GET /healthz requests, tokend's CPU while only the held connections exist, and when
// the slow ones were closed (they should be, at --header-timeout).
//
//   tokend_held PORT PID IDLE SLOW HEADER_TIMEOUT_SECONDS
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace {
using Clock = std::chrono::steady_clock;

int connect_to(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// Milliseconds from connect to the end of a fresh request's answer, or -1.
double fresh_request_ms(int port) {
    auto start = Clock::now();
    int fd = connect_to(port);
    std::string request = "GET /healthz HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n";
    if (fd < 0 || ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) < 0) {
        return -1;
    }
    std::string got;
    char buf[4096];
    pollfd p{fd, POLLIN, 0};
    while (::poll(&p, 1, 10'000) > 0) {
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) {
            break;
        }
        got.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    if (!got.starts_with("HTTP/1.1 200")) {
        return -1;
    }
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// utime + stime of a process, in clock ticks.
long cpu_ticks(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto after = stat.rfind(')');
    std::vector<std::string> fields;
    std::string field;
    for (std::size_t i = after + 2; i <= stat.size(); ++i) {
        if (i == stat.size() || stat[i] == ' ') {
            fields.push_back(field);
            field.clear();
        } else {
            field.push_back(stat[i]);
        }
    }
    return fields.size() > 12 ? std::stol(fields[11]) + std::stol(fields[12]) : -1;
}

bool closed_by_server(int fd) {
    char buf[4096];
    for (;;) {
        ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
            return true;
        }
        if (n < 0) {
            return false;
        }
    }
}
} // namespace

int main(int argc, char** argv) {
    if (argc != 6) {
        std::fprintf(stderr, "usage: tokend_held PORT PID IDLE SLOW HEADER_TIMEOUT_SECONDS\n");
        return 2;
    }
    int port = std::stoi(argv[1]), pid = std::stoi(argv[2]);
    int idle_count = std::stoi(argv[3]), slow_count = std::stoi(argv[4]);
    double header_timeout = std::stod(argv[5]);
    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);

    std::vector<int> idle, slow;
    for (int i = 0; i < idle_count; ++i) {
        idle.push_back(connect_to(port));
    }
    auto slow_start = Clock::now();
    for (int i = 0; i < slow_count; ++i) {
        int fd = connect_to(port);
        ::send(fd, "GET /healthz HTTP/1.1\r\nHost: b\r\n", 32, MSG_NOSIGNAL);
        slow.push_back(fd);
    }
    std::vector<double> fresh;
    std::vector<double> closed_at(slow.size(), -1);
    long cpu_before = cpu_ticks(pid);
    auto cpu_start = Clock::now();
    double limit_s = header_timeout + 3;
    while (std::chrono::duration<double>(Clock::now() - slow_start).count() < limit_s) {
        fresh.push_back(fresh_request_ms(port));
        for (std::size_t i = 0; i < slow.size(); ++i) {
            if (closed_at[i] < 0 && closed_by_server(slow[i])) {
                closed_at[i] = std::chrono::duration<double>(Clock::now() - slow_start).count();
            } else if (closed_at[i] < 0) {
                ::send(slow[i], "X", 1, MSG_NOSIGNAL);
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    }
    double cpu_s = static_cast<double>(cpu_ticks(pid) - cpu_before) /
                   static_cast<double>(sysconf(_SC_CLK_TCK));
    double wall_s = std::chrono::duration<double>(Clock::now() - cpu_start).count();
    int idle_open = 0;
    for (int fd : idle) {
        idle_open += fd >= 0 && !closed_by_server(fd) ? 1 : 0;
    }
    auto answered = std::count_if(fresh.begin(), fresh.end(), [](double ms) { return ms >= 0; });
    std::vector<double> sorted = fresh;
    std::sort(sorted.begin(), sorted.end());
    double worst = sorted.empty() ? -1 : sorted.back();
    double median = sorted.empty() ? -1 : sorted[sorted.size() / 2];
    auto slow_closed =
        std::count_if(closed_at.begin(), closed_at.end(), [](double s) { return s >= 0; });
    double last_close =
        closed_at.empty() ? -1 : *std::max_element(closed_at.begin(), closed_at.end());
    std::printf("held: %d idle (%d still open at the end) + %d slow-drip connections\n", idle_count,
                idle_open, slow_count);
    std::printf("fresh GET /healthz meanwhile (1/s): %ld/%zu answered 200, median %.1f ms, "
                "worst %.1f ms\n",
                answered, fresh.size(), median, worst);
    std::printf("  each, in order (ms):");
    for (double ms : fresh) {
        std::printf(" %.1f", ms);
    }
    std::printf("\n");
    std::printf("slow-drip closed by tokend: %ld/%d, the last %.1f s after its first byte "
                "(--header-timeout %.0f s)\n",
                slow_closed, slow_count, last_close, header_timeout);
    std::printf("tokend CPU meanwhile: %.1f %% of one core\n", 100.0 * cpu_s / wall_s);
    for (int fd : idle) {
        ::close(fd);
    }
    for (int fd : slow) {
        ::close(fd);
    }
    return 0;
}
