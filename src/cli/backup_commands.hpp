// `tokend backup --to DIR` and `tokend restore --from DIR [--force]` (SPEC §13).
#pragma once

#include "cli/options.hpp"

namespace tokend::cli {

int backup_command(const Options& options);
int restore_command(const Options& options);

} // namespace tokend::cli
