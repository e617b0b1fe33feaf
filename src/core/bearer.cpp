// Authorization header parsing.
#include "core/bearer.hpp"

namespace tokend::core {

namespace {
bool starts_with_bearer(std::string_view header) {
    constexpr std::string_view kScheme = "bearer ";
    if (header.size() < kScheme.size()) {
        return false;
    }
    for (std::size_t i = 0; i < kScheme.size(); ++i) {
        char c = header[i];
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
        if (c != kScheme[i]) {
            return false;
        }
    }
    return true;
}

std::string_view trim(std::string_view text) {
    auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) {
        return {};
    }
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}
} // namespace

BearerCredential read_bearer(std::string_view authorization) {
    std::string_view header = trim(authorization);
    if (header.empty()) {
        return {BearerStatus::Missing, {}};
    }
    if (!starts_with_bearer(header)) {
        return {BearerStatus::NotBearer, {}};
    }
    std::string_view token = trim(header.substr(7));
    if (token.empty()) {
        return {BearerStatus::NotBearer, {}};
    }
    return {BearerStatus::Present, token};
}

} // namespace tokend::core
