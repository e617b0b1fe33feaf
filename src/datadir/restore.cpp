// The restore side: every check on the backup first, then stage, fsync and rename under the
// data dir's exclusive lock. The database is renamed before the key; an interruption between
// the two renames leaves tokens that do not authenticate (never a mixed database), and running
// the same restore again completes it.
#include <spdlog/spdlog.h>

#include "core/error.hpp"
#include "crypto/fingerprint.hpp"
#include "crypto/random.hpp"
#include "crypto/token_hasher.hpp"
#include "datadir/backup.hpp"
#include "datadir/files.hpp"
#include "datadir/lock.hpp"
#include "datadir/manifest.hpp"
#include "store/sqlite/backup.hpp"

namespace tokend::datadir {

namespace {
namespace fs = std::filesystem;

[[noreturn]] void refuse(const fs::path& from, const std::string& reason) {
    core::fail(core::ErrorCode::Conflict, "cannot restore from " + from.string() + ": " + reason);
}

Manifest read_manifest(const fs::path& from) {
    if (!fs::is_regular_file(from / kManifestFile)) {
        refuse(from, "it has no " + std::string(kManifestFile) + ", so it is not a tokend backup");
    }
    try {
        return parse_manifest(read_whole_file(from / kManifestFile));
    } catch (const core::Error& error) {
        refuse(from, error.what());
    }
}

// Everything that can be known about the backup without touching the data dir.
std::string verified_key(const fs::path& from, const Manifest& manifest) {
    for (const char* name : {kDatabaseFile, kKeyFile}) {
        if (!fs::is_regular_file(from / name)) {
            refuse(from, "it has no " + std::string(name));
        }
    }
    if (crypto::file_digest(from / kDatabaseFile) != manifest.database_digest) {
        refuse(from, "tokend.db does not match the manifest's digest (corrupt or altered)");
    }
    std::string key;
    try {
        key = crypto::read_secret_key(from / kKeyFile);
    } catch (const std::exception&) {
        refuse(from, "secret.key is not 32 bytes long");
    }
    if (crypto::key_fingerprint(key) != manifest.key_fingerprint) {
        refuse(from, "secret.key is not the key this backup was made with");
    }
    if (manifest.schema_version > store::sqlite::latest_schema_version()) {
        refuse(from, "it has schema version " + std::to_string(manifest.schema_version) +
                         " but this tokend knows only " +
                         std::to_string(store::sqlite::latest_schema_version()) +
                         "; use a newer tokend");
    }
    store::sqlite::DatabaseCheck check;
    try {
        check = store::sqlite::check_database(from / kDatabaseFile);
    } catch (const std::exception& error) {
        refuse(from, std::string("tokend.db cannot be read as a database (") + error.what() + ")");
    }
    if (check.problem) {
        refuse(from, "tokend.db fails PRAGMA integrity_check (" + *check.problem + ")");
    }
    if (check.schema_version != manifest.schema_version) {
        refuse(from, "tokend.db's schema version differs from the manifest's");
    }
    return key;
}

void require_force_or_empty(const fs::path& data_dir, bool force) {
    bool occupied = fs::exists(data_dir / kDatabaseFile) || fs::exists(data_dir / kKeyFile);
    if (occupied && !force) {
        core::fail(core::ErrorCode::Conflict,
                   data_dir.string() + " already holds a tokend.db or secret.key; pass --force to "
                                       "replace them with the backup");
    }
}

// The old database's side files would be applied to (and corrupt) the restored file.
void retire_old_database(const fs::path& db) {
    if (fs::exists(db) && !store::sqlite::settle_database(db)) {
        spdlog::warn("the old tokend.db could not be checkpointed; its -wal is discarded");
    }
    for (const char* suffix : {"-wal", "-shm", "-journal"}) {
        fs::remove(fs::path(db.string() + suffix));
    }
}
} // namespace

void restore(const fs::path& from, const fs::path& data_dir, bool force) {
    crypto::init();
    Manifest manifest = read_manifest(from);
    std::string key = verified_key(from, manifest);

    auto lock = DataDirLock::for_restore(data_dir);
    require_force_or_empty(data_dir, force);
    auto db = data_dir / kDatabaseFile;
    auto staged_db = data_dir / ("." + std::string(kDatabaseFile) + ".restoring");
    auto staged_key = data_dir / ("." + std::string(kKeyFile) + ".restoring");
    auto discard_staged = [&] {
        std::error_code ignored;
        fs::remove(staged_db, ignored);
        fs::remove(staged_key, ignored);
    };
    discard_staged(); // left by an interrupted restore; we hold the lock, so they are ours
    try {
        copy_private_file(from / kDatabaseFile, staged_db);
        write_private_file(staged_key, key);
        if (crypto::file_digest(staged_db) != manifest.database_digest) {
            refuse(from, "tokend.db changed while it was being copied");
        }
    } catch (...) {
        discard_staged();
        throw;
    }
    sync_path(data_dir);
    retire_old_database(db);
    rename_durably(staged_db, db);
    rename_durably(staged_key, data_dir / kKeyFile);
}

} // namespace tokend::datadir
