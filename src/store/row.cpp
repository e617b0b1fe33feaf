// Constraint classification.
#include "store/row.hpp"

#include <sqlite3.h>

namespace tokend::store {

bool is_unique_violation(const SQLite::Exception& error) {
    int code = error.getExtendedErrorCode();
    return code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY;
}

} // namespace tokend::store
