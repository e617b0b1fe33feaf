// Field validation rules (SPEC §1, §6, §8).
#include "core/validate.hpp"

#include <algorithm>
#include <iterator>

#include "core/error.hpp"
#include "core/token_format.hpp"

namespace tokend::core {

namespace {
constexpr std::string_view kTimezones[] = {
#include "core/timezones.inc"
};

[[noreturn]] void invalid(std::string_view field, std::string_view problem) {
    fail(ErrorCode::InvalidInput, std::string(field) + " " + std::string(problem));
}

bool is_control(unsigned char c) {
    return c < 0x20 || c == 0x7f;
}

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool contains_token(std::string_view text) {
    for (auto at = text.find(kTokenPrefix); at != std::string_view::npos;
         at = text.find(kTokenPrefix, at + 1)) {
        if (is_well_formed_token(text.substr(at, kTokenLength))) {
            return true;
        }
    }
    return false;
}

std::string to_lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), lower);
    return out;
}
} // namespace

bool is_valid_utf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        auto c = static_cast<unsigned char>(text[i]);
        std::size_t extra = 0;
        std::uint32_t cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            extra = 1;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (i + extra >= text.size()) {
            return false;
        }
        for (std::size_t k = 1; k <= extra; ++k) {
            auto cc = static_cast<unsigned char>(text[i + k]);
            if ((cc & 0xC0) != 0x80) {
                return false;
            }
            cp = (cp << 6) | (cc & 0x3F);
        }
        bool overlong =
            (extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000);
        if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return false;
        }
        i += extra + 1;
    }
    return true;
}

std::size_t code_point_count(std::string_view text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

std::optional<std::string> normalize_name(std::string_view raw, std::string_view field) {
    if (!is_valid_utf8(raw)) {
        invalid(field, "must be valid UTF-8 text.");
    }
    if (std::any_of(raw.begin(), raw.end(),
                    [](char c) { return is_control(static_cast<unsigned char>(c)); })) {
        invalid(field, "must not contain control characters.");
    }
    auto first = raw.find_first_not_of(' ');
    if (first == std::string_view::npos) {
        return std::nullopt;
    }
    auto trimmed = raw.substr(first, raw.find_last_not_of(' ') - first + 1);
    if (code_point_count(trimmed) > kMaxNameLength) {
        invalid(field, "must be at most 100 characters.");
    }
    // Names are stored and shown in clear, so a token pasted here would end up in the database.
    if (contains_token(trimmed)) {
        invalid(field, "must not contain an access token; tokens are secrets.");
    }
    return std::string(trimmed);
}

std::string normalize_email(std::string_view raw, std::string_view field) {
    if (raw.empty() || raw.size() > 254) {
        invalid(field, "must be an email address of at most 254 characters.");
    }
    auto at = raw.find('@');
    bool one_at = at != std::string_view::npos && raw.find('@', at + 1) == std::string_view::npos;
    bool plausible =
        one_at && at > 0 && at + 1 < raw.size() && std::none_of(raw.begin(), raw.end(), [](char c) {
            return c == ' ' || is_control(static_cast<unsigned char>(c));
        });
    if (!plausible || !is_valid_utf8(raw)) {
        invalid(field, "must be an email address such as name@example.com.");
    }
    return to_lower(raw);
}

void check_password(std::string_view password) {
    if (code_point_count(password) < 8) {
        fail(ErrorCode::InvalidInput, "password must be at least 8 characters.");
    }
    if (password.size() > 1024) {
        fail(ErrorCode::InvalidInput, "password must be at most 1024 bytes.");
    }
}

std::string normalize_domain(std::string_view raw, std::string_view field) {
    std::string domain = to_lower(raw);
    bool ok = !domain.empty() && domain.size() <= 253 && domain.front() != '.' &&
              domain.back() != '.' && domain.find('.') != std::string::npos;
    std::size_t label = 0;
    for (std::size_t i = 0; ok && i < domain.size(); ++i) {
        char c = domain[i];
        if (c == '.') {
            ok = label > 0 && domain[i - 1] != '-';
            label = 0;
            continue;
        }
        bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        ok = allowed && !(c == '-' && label == 0) && ++label <= 63;
    }
    if (!ok || domain.back() == '-') {
        invalid(field,
                "must be a host name such as example.com (no scheme, port, path or spaces).");
    }
    return domain;
}

bool is_known_timezone(std::string_view name) {
    return std::binary_search(std::begin(kTimezones), std::end(kTimezones), name);
}

std::string quote_for_message(std::string_view value) {
    bool printable = std::all_of(value.begin(), value.end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return u >= 0x20 && u < 0x7f && c != '"';
    });
    std::string lowered = to_lower(value);
    if (!printable || value.size() > 64 || lowered.find("dft_") != std::string::npos) {
        return {};
    }
    return "\"" + std::string(value) + "\"";
}

} // namespace tokend::core
