// The permission check every service entry point starts with.
#pragma once

#include <string>

#include "core/error.hpp"
#include "core/types.hpp"

namespace tokend::service {

inline void require_permission(const core::Caller& caller, core::Permission needed) {
    if (!core::holds(caller.scope.permissions, needed)) {
        core::fail(core::ErrorCode::Forbidden, "This token does not have the " +
                                                   std::string(core::permission_name(needed)) +
                                                   " permission.");
    }
}

} // namespace tokend::service
