// The backup commands: flags in, one line on stderr out (stdout stays empty: there is no result
// a script would capture).
#include "cli/backup_commands.hpp"

#include <iostream>

#include "datadir/backup.hpp"
#include "datadir/files.hpp"

namespace tokend::cli {

int backup_command(const Options& options) {
    auto to = datadir::clean_path(options.require("to"));
    auto data_dir = datadir::clean_path(options.get_or("data-dir", "data"));
    auto result = datadir::backup(data_dir, to);
    std::cerr << "backed up " << data_dir.string() << " to " << to.string() << " (schema version "
              << result.schema_version << ")" << std::endl;
    return 0;
}

int restore_command(const Options& options) {
    auto from = datadir::clean_path(options.require("from"));
    auto data_dir = datadir::clean_path(options.get_or("data-dir", "data"));
    datadir::restore(from, data_dir, options.flag("force"));
    std::cerr << "restored " << from.string() << " into " << data_dir.string() << std::endl;
    return 0;
}

} // namespace tokend::cli
