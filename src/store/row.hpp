// Small helpers for reading and binding nullable columns.
#pragma once

#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>

#include <optional>
#include <string>

#include "store/connection.hpp"

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

// Runs an INSERT/UPDATE; false (and nothing changed) when it hit a UNIQUE or PRIMARY KEY
// constraint, so repositories can report "already exists" without exceptions.
bool exec_unless_duplicate(Connection::Query& q);

} // namespace tokend::store
