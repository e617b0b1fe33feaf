// Rendering and strict parsing of manifest.txt.
#include "datadir/manifest.hpp"

#include <charconv>
#include <map>

#include "core/error.hpp"

namespace tokend::datadir {

namespace {
constexpr std::string_view kFormat = "tokend-backup-1";

std::map<std::string, std::string, std::less<>> lines_of(std::string_view text) {
    std::map<std::string, std::string, std::less<>> values;
    while (!text.empty()) {
        auto end = text.find('\n');
        auto line = text.substr(0, end);
        text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
        if (auto eq = line.find('='); eq != std::string_view::npos) {
            values.emplace(std::string(line.substr(0, eq)), std::string(line.substr(eq + 1)));
        }
    }
    return values;
}

bool is_hex_digest(std::string_view text) {
    return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}
} // namespace

std::string render_manifest(const Manifest& m) {
    return "format=" + std::string(kFormat) + "\ntokend-version=" + m.tokend_version +
           "\nschema-version=" + std::to_string(m.schema_version) + "\ncreated-at=" + m.created_at +
           "\ndatabase-blake2b=" + m.database_digest + "\nkey-fingerprint=" + m.key_fingerprint +
           "\n";
}

Manifest parse_manifest(std::string_view text) {
    auto values = lines_of(text);
    auto field = [&values](std::string_view name) -> const std::string& {
        auto it = values.find(name);
        if (it == values.end()) {
            core::fail(core::ErrorCode::InvalidInput,
                       "the manifest has no " + std::string(name) + " line");
        }
        return it->second;
    };
    if (field("format") != kFormat) {
        core::fail(core::ErrorCode::InvalidInput, "the manifest is not a tokend-backup-1 manifest");
    }
    Manifest m;
    m.tokend_version = field("tokend-version");
    m.created_at = field("created-at");
    const auto& version = field("schema-version");
    auto [end, error] =
        std::from_chars(version.data(), version.data() + version.size(), m.schema_version);
    if (error != std::errc() || end != version.data() + version.size() || m.schema_version < 1) {
        core::fail(core::ErrorCode::InvalidInput, "the manifest's schema-version is malformed");
    }
    m.database_digest = field("database-blake2b");
    m.key_fingerprint = field("key-fingerprint");
    if (!is_hex_digest(m.database_digest) || !is_hex_digest(m.key_fingerprint)) {
        core::fail(core::ErrorCode::InvalidInput, "the manifest's digests are malformed");
    }
    return m;
}

} // namespace tokend::datadir
