// Audit record helpers: names, the user-agent cut and the details column's tiny JSON.
#include "core/audit_event.hpp"

#include <algorithm>
#include <cstdio>

namespace tokend::core {

std::string truncate_user_agent(std::string_view text) {
    std::string out;
    for (char ch : text) {
        auto byte = static_cast<unsigned char>(ch);
        if (byte < 0x20 || byte == 0x7f) {
            continue;
        }
        out.push_back(ch);
    }
    if (out.size() > kMaxUserAgent) {
        std::size_t cut = kMaxUserAgent;
        // Step back over continuation bytes so a multi-byte character is not split.
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) {
            --cut;
        }
        out.resize(cut);
    }
    return out;
}

std::string_view actor_type_name(ActorType type) {
    switch (type) {
    case ActorType::Token:
        return "token";
    case ActorType::Session:
        return "session";
    case ActorType::Cli:
        return "cli";
    case ActorType::System:
        return "system";
    case ActorType::Anonymous:
        break;
    }
    return "anonymous";
}

std::optional<ActorType> parse_actor_type(std::string_view text) {
    for (ActorType type : {ActorType::Token, ActorType::Session, ActorType::Cli, ActorType::System,
                           ActorType::Anonymous}) {
        if (actor_type_name(type) == text) {
            return type;
        }
    }
    return std::nullopt;
}

bool is_audit_event_name(std::string_view name) {
    return std::find(std::begin(kAuditEventNames), std::end(kAuditEventNames), name) !=
           std::end(kAuditEventNames);
}

namespace {
void append_quoted(std::string& out, std::string_view text) {
    out.push_back('"');
    for (char ch : text) {
        auto byte = static_cast<unsigned char>(ch);
        if (ch == '"' || ch == '\\') {
            out.push_back('\\');
            out.push_back(ch);
        } else if (byte < 0x20) {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\u%04x", byte);
            out += buffer;
        } else {
            out.push_back(ch);
        }
    }
    out.push_back('"');
}

// Reads a string written by append_quoted starting at text[pos] == '"'; pos ends after it.
std::string read_quoted(std::string_view text, std::size_t& pos) {
    std::string out;
    ++pos;
    while (pos < text.size() && text[pos] != '"') {
        if (text[pos] == '\\' && pos + 1 < text.size()) {
            if (text[pos + 1] == 'u' && pos + 5 < text.size()) {
                out.push_back(static_cast<char>(
                    std::stoi(std::string(text.substr(pos + 2, 4)), nullptr, 16)));
                pos += 6;
                continue;
            }
            out.push_back(text[pos + 1]);
            pos += 2;
            continue;
        }
        out.push_back(text[pos++]);
    }
    ++pos;
    return out;
}
} // namespace

std::string details_to_json(const AuditDetails& details) {
    std::string out = "{";
    for (const auto& entry : details) {
        if (out.size() > 1) {
            out.push_back(',');
        }
        append_quoted(out, entry.first);
        out.push_back(':');
        append_quoted(out, entry.second);
    }
    out.push_back('}');
    return out;
}

AuditDetails details_from_json(std::string_view text) {
    AuditDetails details;
    std::size_t pos = 0;
    while (pos < text.size()) {
        if (text[pos] != '"') {
            ++pos;
            continue;
        }
        std::string key = read_quoted(text, pos);
        while (pos < text.size() && text[pos] != '"') {
            ++pos;
        }
        if (pos >= text.size()) {
            break;
        }
        details.emplace_back(std::move(key), read_quoted(text, pos));
    }
    return details;
}

} // namespace tokend::core
