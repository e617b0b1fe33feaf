// Constraint classification.
#include "store/row.hpp"

#include <sqlite3.h>

namespace tokend::store {

bool exec_unless_duplicate(Connection::Query& q) {
    try {
        q->exec();
    } catch (const SQLite::Exception& error) {
        int code = error.getExtendedErrorCode();
        if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
            return false;
        }
        throw;
    }
    return true;
}

} // namespace tokend::store
