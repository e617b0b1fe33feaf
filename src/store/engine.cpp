// What both engines' migrate() share.
#include "store/engine.hpp"

#include <stdexcept>
#include <string>

namespace tokend::store {

void check_schema_version(int version, int latest) {
    if (version > latest) {
        throw std::runtime_error("the database has schema version " + std::to_string(version) +
                                 " but this tokend knows only " + std::to_string(latest) +
                                 "; use a newer tokend");
    }
}

} // namespace tokend::store
