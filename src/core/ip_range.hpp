// IPv4/IPv6 addresses and CIDR ranges (SPEC §11.6): strict parsing, the normalized text form
// tokens store, containment, and the "not wider than the caller" rule for address lists.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tokend::core {

// Every address lives in the IPv6 space; an IPv4 address is its IPv4-mapped form ::ffff:a.b.c.d,
// so "1.2.3.4" and "::ffff:1.2.3.4" are the same address and v4 ranges match mapped clients.
struct IpAddress {
    std::array<std::uint8_t, 16> bytes{};
    bool is_v4() const; // inside ::ffff:0:0/96
    bool operator==(const IpAddress&) const = default;
};

// A CIDR range: `prefix` counts bits in the 128-bit space (an IPv4 /24 is 96 + 24), and the
// host bits of `address` are always zero.
struct IpRange {
    IpAddress address;
    int prefix = 128;
    bool operator==(const IpRange&) const = default;
};

// Strict: dotted quad with four decimal parts 0–255 and no leading zeros ("010.0.0.1" could be
// read as octal), or RFC 4291 IPv6 text (with an optional embedded dotted quad). No zone id
// ("fe80::1%eth0"), no brackets, no port, no spaces.
std::optional<IpAddress> parse_ip_address(std::string_view text);
// An address or ADDRESS/PREFIX (0–32 for IPv4, 0–128 for IPv6, no leading zeros); a bare
// address is /32 or /128. Host bits are cleared.
std::optional<IpRange> parse_ip_range(std::string_view text);

// Canonical text: IPv4 (and IPv4-mapped) as a dotted quad, IPv6 as RFC 5952 (lower case,
// longest zero run as "::").
std::string format_ip_address(const IpAddress& address);
// Always with the prefix: "10.0.0.0/8", "203.0.113.9/32", "2001:db8::/32". A range inside the
// IPv4-mapped space prints as IPv4.
std::string format_ip_range(const IpRange& range);

bool contains(const IpRange& range, const IpAddress& address);
bool contains(const IpRange& outer, const IpRange& inner);

// An allow list: empty = any address.
using IpRanges = std::vector<IpRange>;
bool in_any(const IpRanges& ranges, const IpAddress& address); // empty = in none
bool allows(const IpRanges& allowed, const IpAddress& address);

// "Not wider than the caller", extended to addresses like does_not_exceed (SPEC §5, §11.6):
// `inner` lies within `outer` when outer allows any address, or inner is not "any" and each of
// its ranges lies inside some range of outer.
bool lies_within(const IpRanges& inner, const IpRanges& outer);

// Tokens store their list as normalized strings (written by format_ip_range). One that does not
// parse means a damaged row: std::runtime_error (a 500), never a silently shorter, wider list.
IpRanges parse_stored_ranges(const std::vector<std::string>& texts);
// The allow-list check on a stored list: empty = any address; a client address that does not
// parse is allowed only by an empty list.
bool allows_text(const std::vector<std::string>& allowed, std::string_view client_address);

} // namespace tokend::core
