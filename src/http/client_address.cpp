// Gathers the forwarding headers for core::client_address.
#include "http/client_address.hpp"

#include "core/client_address.hpp"
#include "http/access_log.hpp"

namespace tokend::http {

std::string client_address(const httplib::Request& req, const core::IpRanges& trusted_proxies) {
    if (trusted_proxies.empty()) {
        return core::client_address(req.remote_addr, {}, {});
    }
    core::ForwardingHeaders headers;
    auto real_ip = req.headers.equal_range("X-Real-IP");
    if (real_ip.first != real_ip.second) {
        headers.real_ip = real_ip.first->second;
        headers.real_ip_repeated = std::next(real_ip.first) != real_ip.second;
    }
    // Several X-Forwarded-For lines are one list in order (RFC 9110 §5.3).
    std::string forwarded_for;
    auto lines = req.headers.equal_range("X-Forwarded-For");
    for (auto it = lines.first; it != lines.second; ++it) {
        forwarded_for += (forwarded_for.empty() ? "" : ", ") + it->second;
    }
    if (lines.first != lines.second) {
        headers.forwarded_for = forwarded_for;
    }
    return core::client_address(req.remote_addr, trusted_proxies, headers);
}

core::Origin origin_of(const httplib::Request& req, const std::string& client) {
    return {client, core::truncate_user_agent(req.get_header_value("User-Agent")),
            access_log::request_id()};
}

} // namespace tokend::http
