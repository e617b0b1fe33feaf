// The backup side: copy into a hidden temporary directory, verify the copy, rename it into place.
#include "datadir/backup.hpp"

#include "core/clock.hpp"
#include "core/error.hpp"
#include "crypto/fingerprint.hpp"
#include "crypto/random.hpp"
#include "crypto/token_hasher.hpp"
#include "datadir/files.hpp"
#include "datadir/manifest.hpp"
#include "store/sqlite/backup.hpp"

namespace tokend::datadir {

namespace {
namespace fs = std::filesystem;

void require_source(const fs::path& data_dir) {
    for (const char* name : {kDatabaseFile, kKeyFile}) {
        if (!fs::is_regular_file(data_dir / name)) {
            core::fail(core::ErrorCode::NotFound, "there is no " + std::string(name) + " in " +
                                                      data_dir.string() + "; check --data-dir");
        }
    }
}

void require_free_target(const fs::path& to) {
    if (fs::exists(to) && !is_empty_dir(to)) {
        core::fail(core::ErrorCode::Conflict,
                   to.string() + " already exists and is not an empty directory; back up into a "
                                 "new directory");
    }
}

// Fills `dir` with the three files of a backup and returns the schema version copied.
int write_backup_files(const fs::path& data_dir, const fs::path& dir) {
    // The key first: a key file that cannot be read should fail before the long copy.
    std::string key = crypto::read_secret_key(data_dir / kKeyFile);
    auto db = dir / kDatabaseFile;
    store::sqlite::copy_live_database(data_dir / kDatabaseFile, db);
    fs::permissions(db, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
    sync_path(db);
    auto check = store::sqlite::check_database(db);
    if (check.problem) {
        throw std::runtime_error("the copy of tokend.db failed PRAGMA integrity_check (" +
                                 *check.problem + "); the source database needs attention");
    }
    write_private_file(dir / kKeyFile, key);
    Manifest manifest{TOKEND_VERSION, check.schema_version, core::now_timestamp(),
                      crypto::file_digest(db), crypto::key_fingerprint(key)};
    write_private_file(dir / kManifestFile, render_manifest(manifest));
    sync_path(dir);
    return check.schema_version;
}
} // namespace

BackupResult backup(const fs::path& data_dir, const fs::path& to) {
    crypto::init();
    require_source(data_dir);
    require_free_target(to);
    auto parent = to.parent_path().empty() ? fs::path(".") : to.parent_path();
    fs::create_directories(parent);
    auto staging = temp_sibling(to, "partial");
    fs::create_directory(staging);
    fs::permissions(staging, fs::perms::owner_all, fs::perm_options::replace);
    try {
        BackupResult result{write_backup_files(data_dir, staging)};
        // rename(2) replaces an empty directory atomically and fails on a non-empty one, so a
        // directory filled in the meantime is never overwritten.
        rename_durably(staging, to);
        return result;
    } catch (...) {
        std::error_code ignored;
        fs::remove_all(staging, ignored);
        throw;
    }
}

} // namespace tokend::datadir
