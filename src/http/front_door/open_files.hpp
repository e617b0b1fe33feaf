// The process's open-file limit: every connection holds a descriptor, and the usual soft limit
// (1024) is far below the default --max-connections.
#pragma once

namespace tokend::http::front_door {

// Raises RLIMIT_NOFILE's soft limit to its hard limit; returns the new soft limit (-1 unknown).
long raise_open_file_limit();

} // namespace tokend::http::front_door
