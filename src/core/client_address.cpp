// The client-address rule; the one place that reads forwarding headers.
#include "core/client_address.hpp"

#include <vector>

namespace tokend::core {

namespace {
std::string_view trimmed(std::string_view text) {
    auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) {
        return {};
    }
    auto last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

// Every entry, left to right; nullopt if any entry is not one address.
std::optional<std::vector<IpAddress>> forwarded_entries(std::string_view header) {
    std::vector<IpAddress> entries;
    for (;;) {
        auto comma = header.find(',');
        auto address = parse_ip_address(trimmed(header.substr(0, comma)));
        if (!address) {
            return std::nullopt;
        }
        entries.push_back(*address);
        if (comma == std::string_view::npos) {
            return entries;
        }
        header.remove_prefix(comma + 1);
    }
}

// The rightmost entry no trusted proxy wrote; if every hop is trusted, the leftmost one (the
// request began inside the trusted network, and that is as far back as the chain goes).
std::optional<IpAddress> from_forwarded_for(std::string_view header, const IpRanges& trusted) {
    auto entries = forwarded_entries(header);
    if (!entries) {
        return std::nullopt;
    }
    for (auto it = entries->rbegin(); it != entries->rend(); ++it) {
        if (!in_any(trusted, *it)) {
            return *it;
        }
    }
    return entries->front();
}
} // namespace

std::string client_address(std::string_view peer, const IpRanges& trusted_proxies,
                           const ForwardingHeaders& headers) {
    // The kernel may report a link-local peer with its zone ("fe80::1%eth0"); the zone is not
    // part of the address a list can name.
    auto peer_address = parse_ip_address(peer.substr(0, peer.find('%')));
    if (!peer_address) {
        return std::string(peer);
    }
    if (!in_any(trusted_proxies, *peer_address)) {
        return format_ip_address(*peer_address);
    }
    std::optional<IpAddress> forwarded;
    if (headers.real_ip_repeated) {
        forwarded = std::nullopt;
    } else if (headers.real_ip) {
        forwarded = parse_ip_address(trimmed(*headers.real_ip));
    } else if (headers.forwarded_for) {
        forwarded = from_forwarded_for(*headers.forwarded_for, trusted_proxies);
    }
    return format_ip_address(forwarded.value_or(*peer_address));
}

} // namespace tokend::core
