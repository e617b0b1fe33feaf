// Small helpers for reading and binding nullable columns.
#pragma once

#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>

#include <optional>
#include <string>

namespace tokend::store {

inline std::optional<std::string> optional_text(const SQLite::Column& column) {
    if (column.isNull()) {
        return std::nullopt;
    }
    return column.getString();
}

inline void bind_optional(SQLite::Statement& statement, const char* name,
                          const std::optional<std::string>& value) {
    if (value) {
        statement.bind(name, *value);
    } else {
        statement.bind(name);
    }
}

// True when `error` is a UNIQUE or PRIMARY KEY violation.
bool is_unique_violation(const SQLite::Exception& error);

} // namespace tokend::store
