// How log lines look on stderr: "text" (spdlog's default pattern) or "json" (one object per
// line with time, level and message, for log shippers).
#pragma once

#include <spdlog/formatter.h>

#include <memory>
#include <string_view>

namespace tokend::cli {

// Formats each record as {"time":"2026-05-21T00:00:00.000Z","level":"info","message":"…"}.
class JsonLogFormatter : public spdlog::formatter {
public:
    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
    std::unique_ptr<spdlog::formatter> clone() const override;
};

// Installs the formatter named by --log-format on the default logger; false for an unknown name.
bool apply_log_format(std::string_view name);

} // namespace tokend::cli
