// Address parsing through the C library's inet_pton (strict: glibc refuses leading zeros in a
// dotted quad, zone ids and spaces), with our own prefix parsing and RFC 5952 formatting.
#include "core/ip_range.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <stdexcept>

namespace tokend::core {

namespace {
constexpr std::size_t kMaxAddressText = 45; // the longest IPv6 text with an embedded quad
constexpr int kV4Offset = 96;               // bits before an IPv4 address in the mapped form

bool has_only(std::string_view text, std::string_view allowed) {
    return text.find_first_not_of(allowed) == std::string_view::npos;
}

std::optional<int> parse_prefix(std::string_view text, int max) {
    if (text.empty() || text.size() > 3 || !has_only(text, "0123456789") ||
        (text.size() > 1 && text.front() == '0')) {
        return std::nullopt;
    }
    int value = 0;
    for (char c : text) {
        value = value * 10 + (c - '0');
    }
    return value <= max ? std::optional<int>(value) : std::nullopt;
}

IpAddress masked(IpAddress address, int prefix) {
    for (int i = 0; i < 16; ++i) {
        int keep = std::clamp(prefix - i * 8, 0, 8);
        address.bytes[i] &= static_cast<std::uint8_t>(0xff00u >> keep);
    }
    return address;
}

std::string format_v6(const IpAddress& address) {
    unsigned groups[8];
    for (int i = 0; i < 8; ++i) {
        groups[i] = (address.bytes[2 * i] << 8) | address.bytes[2 * i + 1];
    }
    int best = -1;
    int best_length = 1; // RFC 5952 §4.2.2: a single zero group is not shortened
    for (int i = 0; i < 8;) {
        int j = i;
        while (j < 8 && groups[j] == 0) {
            ++j;
        }
        if (j - i > best_length) {
            best = i;
            best_length = j - i;
        }
        i = j == i ? i + 1 : j;
    }
    std::string text;
    static constexpr char kHex[] = "0123456789abcdef";
    for (int i = 0; i < 8; ++i) {
        if (i == best) {
            text += "::";
            i += best_length - 1;
            continue;
        }
        if (!text.empty() && !text.ends_with(':')) {
            text += ':';
        }
        bool started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            unsigned digit = (groups[i] >> shift) & 0xf;
            if (digit != 0 || started || shift == 0) {
                text += kHex[digit];
                started = true;
            }
        }
    }
    return text;
}
} // namespace

bool IpAddress::is_v4() const {
    return std::all_of(bytes.begin(), bytes.begin() + 10, [](auto b) { return b == 0; }) &&
           bytes[10] == 0xff && bytes[11] == 0xff;
}

std::optional<IpAddress> parse_ip_address(std::string_view text) {
    if (text.empty() || text.size() > kMaxAddressText ||
        !has_only(text, "0123456789abcdefABCDEF:.")) {
        return std::nullopt;
    }
    std::string copy(text); // inet_pton reads a NUL-terminated string
    IpAddress address;
    if (text.find(':') == std::string_view::npos) {
        in_addr v4{};
        if (inet_pton(AF_INET, copy.c_str(), &v4) != 1) {
            return std::nullopt;
        }
        address.bytes[10] = address.bytes[11] = 0xff;
        std::copy_n(reinterpret_cast<const std::uint8_t*>(&v4), 4, address.bytes.begin() + 12);
        return address;
    }
    if (inet_pton(AF_INET6, copy.c_str(), address.bytes.data()) != 1) {
        return std::nullopt;
    }
    return address;
}

std::optional<IpRange> parse_ip_range(std::string_view text) {
    auto slash = text.find('/');
    auto address = parse_ip_address(text.substr(0, slash));
    if (!address) {
        return std::nullopt;
    }
    // A mapped address written in IPv6 form takes an IPv6 prefix; in dotted form, an IPv4 one.
    bool dotted = text.substr(0, slash).find(':') == std::string_view::npos;
    int prefix = 128;
    if (slash != std::string_view::npos) {
        auto parsed = parse_prefix(text.substr(slash + 1), dotted ? 32 : 128);
        if (!parsed) {
            return std::nullopt;
        }
        prefix = dotted ? kV4Offset + *parsed : *parsed;
    }
    return IpRange{masked(*address, prefix), prefix};
}

std::string format_ip_address(const IpAddress& address) {
    if (!address.is_v4()) {
        return format_v6(address);
    }
    const auto& b = address.bytes;
    return std::to_string(b[12]) + "." + std::to_string(b[13]) + "." + std::to_string(b[14]) + "." +
           std::to_string(b[15]);
}

std::string format_ip_range(const IpRange& range) {
    bool v4 = range.prefix >= kV4Offset && range.address.is_v4();
    return format_ip_address(range.address) + "/" +
           std::to_string(v4 ? range.prefix - kV4Offset : range.prefix);
}

bool contains(const IpRange& range, const IpAddress& address) {
    return masked(address, range.prefix) == range.address;
}

bool contains(const IpRange& outer, const IpRange& inner) {
    return inner.prefix >= outer.prefix && contains(outer, inner.address);
}

bool in_any(const IpRanges& ranges, const IpAddress& address) {
    return std::any_of(ranges.begin(), ranges.end(),
                       [&](const IpRange& r) { return contains(r, address); });
}

bool allows(const IpRanges& allowed, const IpAddress& address) {
    return allowed.empty() || in_any(allowed, address);
}

bool lies_within(const IpRanges& inner, const IpRanges& outer) {
    if (outer.empty()) {
        return true;
    }
    return !inner.empty() && std::all_of(inner.begin(), inner.end(), [&](const IpRange& range) {
        return std::any_of(outer.begin(), outer.end(),
                           [&](const IpRange& o) { return contains(o, range); });
    });
}

IpRanges parse_stored_ranges(const std::vector<std::string>& texts) {
    IpRanges ranges;
    for (const auto& text : texts) {
        auto range = parse_ip_range(text);
        if (!range) {
            throw std::runtime_error("a stored allowedIps entry does not parse");
        }
        ranges.push_back(*range);
    }
    return ranges;
}

bool allows_text(const std::vector<std::string>& allowed, std::string_view client_address) {
    if (allowed.empty()) {
        return true;
    }
    auto address = parse_ip_address(client_address);
    return address && allows(parse_stored_ranges(allowed), *address);
}

} // namespace tokend::core
