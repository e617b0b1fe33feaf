// HOST:PORT parsing for --listen ("127.0.0.1:8080", "[::1]:0", "0.0.0.0:8080").
#pragma once

#include <string>

namespace tokend::cli {

struct ListenAddress {
    std::string host;
    int port = 0;
    std::string url(int real_port, bool tls = false) const; // http(s)://HOST:PORT, [v6]
};

// Throws UsageError naming `flag` (--listen, --metrics-listen).
ListenAddress parse_listen_address(const std::string& text, const std::string& flag = "listen");

} // namespace tokend::cli
