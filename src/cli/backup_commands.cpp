// The backup commands: flags in, one line on stderr out (stdout stays empty: there is no result
// a script would capture).
#include "cli/backup_commands.hpp"

#include <iostream>

#include "datadir/backup.hpp"
#include "datadir/files.hpp"

namespace tokend::cli {

namespace {
// backup and restore copy the SQLite file of a data dir; a PostgreSQL database has its own tools.
void refuse_postgres(const Options& options, std::string_view command) {
    if (!options.get_or("database", "").empty()) {
        throw UsageError(std::string(command) +
                         " copies a data dir's SQLite database; with --database use PostgreSQL's "
                         "own backups (pg_dump, or the replication of docs/scale-out.md) and keep "
                         "a copy of --secret-key-file");
    }
}
} // namespace

int backup_command(const Options& options) {
    refuse_postgres(options, "backup");
    auto to = datadir::clean_path(options.require("to"));
    auto data_dir = datadir::clean_path(options.get_or("data-dir", "data"));
    auto result = datadir::backup(data_dir, to);
    std::cerr << "backed up " << data_dir.string() << " to " << to.string() << " (schema version "
              << result.schema_version << ")" << std::endl;
    return 0;
}

int restore_command(const Options& options) {
    refuse_postgres(options, "restore");
    auto from = datadir::clean_path(options.require("from"));
    auto data_dir = datadir::clean_path(options.get_or("data-dir", "data"));
    datadir::restore(from, data_dir, options.flag("force"));
    std::cerr << "restored " << from.string() << " into " << data_dir.string() << std::endl;
    return 0;
}

} // namespace tokend::cli
