// Which address a request comes from (SPEC §11.6): the TCP peer, unless the peer is a trusted
// proxy; then X-Real-IP, else the rightmost X-Forwarded-For entry that is not a trusted proxy.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/ip_range.hpp"

namespace tokend::core {

// The forwarding headers as received (nullopt = not sent; several X-Forwarded-For lines joined
// with ", " in order; several X-Real-IP lines are passed as nullopt plus `real_ip_repeated`).
struct ForwardingHeaders {
    std::optional<std::string_view> real_ip;
    bool real_ip_repeated = false;
    std::optional<std::string_view> forwarded_for;
};

// Returns the client address in canonical text (format_ip_address), or the peer as given when
// the peer itself does not parse. Headers from an untrusted peer are ignored; a trusted proxy
// that sends a malformed value (not one address per entry, a port, brackets, a zone id, a
// repeated X-Real-IP) gets the peer, so a broken proxy cannot make the address up.
std::string client_address(std::string_view peer, const IpRanges& trusted_proxies,
                           const ForwardingHeaders& headers);

} // namespace tokend::core
