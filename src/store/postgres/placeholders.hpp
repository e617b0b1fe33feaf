// The SQL files name parameters `:name` (as SQLite does); libpq wants `$1, $2 …`. A name used
// twice becomes the same `$n`. `::` casts, quoted text and comments are left as they are.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tokend::store::postgres {

struct NumberedSql {
    std::string sql;                // with $1 … $n
    std::vector<std::string> names; // names[i] is $(i+1), each with its leading ':'
};

NumberedSql number_placeholders(std::string_view sql);

} // namespace tokend::store::postgres
