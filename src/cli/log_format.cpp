// The JSON log formatter.
#include "cli/log_format.hpp"

#include <spdlog/fmt/chrono.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <ctime>

#include "core/validate.hpp"

namespace tokend::cli {

namespace {
void append(spdlog::memory_buf_t& dest, std::string_view text) {
    dest.append(text.data(), text.data() + text.size());
}

// JSON string escaping; bytes of invalid UTF-8 become '?' so every line stays valid JSON.
void append_json_string(spdlog::memory_buf_t& dest, std::string_view text) {
    bool valid_utf8 = core::is_valid_utf8(text);
    dest.push_back('"');
    for (char c : text) {
        auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            dest.push_back('\\');
            dest.push_back(c);
        } else if (byte < 0x20 || byte == 0x7f) {
            fmt::format_to(std::back_inserter(dest), "\\u{:04x}", byte);
        } else if (byte >= 0x80 && !valid_utf8) {
            dest.push_back('?');
        } else {
            dest.push_back(c);
        }
    }
    dest.push_back('"');
}

void append_utc_time(spdlog::memory_buf_t& dest, spdlog::log_clock::time_point time) {
    auto since_epoch = time.time_since_epoch();
    auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
    auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - seconds);
    std::time_t whole = seconds.count();
    std::tm utc{};
    gmtime_r(&whole, &utc);
    fmt::format_to(std::back_inserter(dest), "{:%Y-%m-%dT%H:%M:%S}.{:03d}Z", utc,
                   static_cast<int>(millis.count()));
}
} // namespace

void JsonLogFormatter::format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) {
    append(dest, "{\"time\":\"");
    append_utc_time(dest, msg.time);
    append(dest, "\",\"level\":");
    auto level = spdlog::level::to_string_view(msg.level);
    append_json_string(dest, std::string_view(level.data(), level.size()));
    append(dest, ",\"message\":");
    append_json_string(dest, std::string_view(msg.payload.data(), msg.payload.size()));
    append(dest, "}\n");
}

std::unique_ptr<spdlog::formatter> JsonLogFormatter::clone() const {
    return std::make_unique<JsonLogFormatter>();
}

bool apply_log_format(std::string_view name) {
    if (name == "json") {
        spdlog::set_formatter(std::make_unique<JsonLogFormatter>());
        return true;
    }
    return name == "text";
}

} // namespace tokend::cli
