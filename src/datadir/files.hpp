// The files of a data dir (or a backup of one) and the careful file operations backup and
// restore are built from: private modes, fsync of files and directories, temporary siblings.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace tokend::datadir {

inline constexpr const char* kDatabaseFile = "tokend.db";
inline constexpr const char* kKeyFile = "secret.key";
inline constexpr const char* kLockFile = "tokend.lock";
inline constexpr const char* kManifestFile = "manifest.txt";

// `path` made absolute and normal, without a trailing '/', so it has a file name.
std::filesystem::path clean_path(const std::filesystem::path& path);

// Creates `dir` (and missing parents) if absent; a directory created here gets mode 0700.
void create_private_dir(const std::filesystem::path& dir);
bool is_empty_dir(const std::filesystem::path& dir);

// Creates `to` (it must not exist) with mode 0600, writes `bytes` and fsyncs it.
void write_private_file(const std::filesystem::path& to, std::string_view bytes);
// Same, with the bytes of `from`.
void copy_private_file(const std::filesystem::path& from, const std::filesystem::path& to);
std::string read_whole_file(const std::filesystem::path& path);

// fsync of a file or a directory (a directory's fsync makes the names in it durable).
void sync_path(const std::filesystem::path& path);
// rename(2) then fsync of the directory that holds `to`.
void rename_durably(const std::filesystem::path& from, const std::filesystem::path& to);

// ".NAME.TAG-PID" beside `target`: same file system (so rename is atomic), hidden, and unique
// per process.
std::filesystem::path temp_sibling(const std::filesystem::path& target, std::string_view tag);

} // namespace tokend::datadir
