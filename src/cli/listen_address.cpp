// --listen parsing.
#include "cli/listen_address.hpp"

#include "cli/options.hpp"

namespace tokend::cli {

std::string ListenAddress::url(int real_port, bool tls) const {
    bool v6 = host.find(':') != std::string::npos;
    return (tls ? "https://" : "http://") + (v6 ? "[" + host + "]" : host) + ":" +
           std::to_string(real_port);
}

ListenAddress parse_listen_address(const std::string& text, const std::string& flag) {
    auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
        throw UsageError("--" + flag + " must be HOST:PORT, for example 127.0.0.1:8080");
    }
    ListenAddress address;
    address.host = text.substr(0, colon);
    if (address.host.front() == '[' && address.host.back() == ']') {
        address.host = address.host.substr(1, address.host.size() - 2);
    }
    std::string port = text.substr(colon + 1);
    bool digits = port.size() <= 5 && port.find_first_not_of("0123456789") == std::string::npos;
    if (!digits || std::stoi(port) > 65535 || address.host.empty()) {
        throw UsageError("--" + flag + " must be HOST:PORT with a port from 0 to 65535");
    }
    address.port = std::stoi(port);
    return address;
}

} // namespace tokend::cli
