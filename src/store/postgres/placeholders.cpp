// :name → $n, skipping casts, string literals, quoted identifiers and comments.
#include "store/postgres/placeholders.hpp"

#include <algorithm>

namespace tokend::store::postgres {

namespace {
bool name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Copies a quoted run starting at sql[i] (which is `quote`) up to and including its closing
// quote; a doubled quote inside stays part of the run.
std::size_t copy_quoted(std::string_view sql, std::size_t i, char quote, std::string& out) {
    out.push_back(sql[i++]);
    while (i < sql.size()) {
        out.push_back(sql[i]);
        if (sql[i] == quote) {
            if (i + 1 < sql.size() && sql[i + 1] == quote) {
                out.push_back(sql[++i]);
            } else {
                return i + 1;
            }
        }
        ++i;
    }
    return i;
}
} // namespace

NumberedSql number_placeholders(std::string_view sql) {
    NumberedSql result;
    std::string& out = result.sql;
    out.reserve(sql.size());
    std::size_t i = 0;
    while (i < sql.size()) {
        char c = sql[i];
        if (c == '\'' || c == '"') {
            i = copy_quoted(sql, i, c, out);
        } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
            std::size_t end = sql.find('\n', i);
            end = end == std::string_view::npos ? sql.size() : end;
            out.append(sql.substr(i, end - i));
            i = end;
        } else if (c == ':' && i + 1 < sql.size() && sql[i + 1] == ':') {
            out.append("::");
            i += 2;
        } else if (c == ':' && i + 1 < sql.size() && name_char(sql[i + 1])) {
            std::size_t end = i + 1;
            while (end < sql.size() && name_char(sql[end])) {
                ++end;
            }
            std::string name(sql.substr(i, end - i));
            auto found = std::find(result.names.begin(), result.names.end(), name);
            if (found == result.names.end()) {
                result.names.push_back(name);
                found = result.names.end() - 1;
            }
            out.push_back('$');
            out.append(std::to_string(found - result.names.begin() + 1));
            i = end;
        } else {
            out.push_back(c);
            ++i;
        }
    }
    return result;
}

} // namespace tokend::store::postgres
