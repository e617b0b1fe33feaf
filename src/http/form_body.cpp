// Form body parsing.
#include "http/form_body.hpp"

#include <algorithm>
#include <cctype>

#include "core/error.hpp"

namespace tokend::http {

namespace {
int hex_digit(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
}

std::string percent_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '+') {
            out.push_back(' ');
        } else if (text[i] != '%') {
            out.push_back(text[i]);
        } else {
            int high = i + 2 < text.size() ? hex_digit(text[i + 1]) : -1;
            int low = high >= 0 ? hex_digit(text[i + 2]) : -1;
            if (low < 0) {
                core::fail(core::ErrorCode::InvalidInput,
                           "The form body has a malformed %-escape (expected % and two hex "
                           "digits).");
            }
            out.push_back(static_cast<char>(high * 16 + low));
            i += 2;
        }
    }
    return out;
}
} // namespace

bool is_form_content_type(std::string_view content_type) {
    std::string lowered(content_type.substr(0, content_type.find(';')));
    std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    lowered.erase(lowered.find_last_not_of(" \t") + 1);
    return lowered == "application/x-www-form-urlencoded";
}

FormFields parse_form(std::string_view body) {
    FormFields fields;
    while (!body.empty()) {
        auto end = body.find('&');
        std::string_view pair = body.substr(0, end);
        if (!pair.empty()) {
            auto equals = pair.find('=');
            std::string_view name = pair.substr(0, equals);
            std::string_view value =
                equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1);
            fields.emplace_back(percent_decode(name), percent_decode(value));
        }
        if (end == std::string_view::npos) {
            break;
        }
        body.remove_prefix(end + 1);
    }
    return fields;
}

std::optional<std::string> single_form_field(const FormFields& fields, std::string_view name) {
    std::optional<std::string> found;
    for (const auto& [key, value] : fields) {
        if (key != name) {
            continue;
        }
        if (found) {
            core::fail(core::ErrorCode::InvalidInput,
                       std::string(name) + " must be given only once.");
        }
        found = value;
    }
    return found;
}

} // namespace tokend::http
