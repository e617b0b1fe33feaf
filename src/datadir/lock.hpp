// The data dir's lock file (tokend.lock, flock): every `tokend serve` holds it shared while it
// runs, `tokend restore` holds it exclusive. So a restore never replaces files under a running
// server, and a server never starts on a half-restored dir. Other CLI commands take no lock:
// they keep working next to a running server (SPEC §1).
#pragma once

#include <filesystem>

namespace tokend::datadir {

class DataDirLock {
public:
    // Both create the dir (0700) and the lock file if missing, never wait, and throw
    // core::Error(Conflict) with a one-line reason when the other side holds the lock.
    static DataDirLock for_serve(const std::filesystem::path& dir);
    static DataDirLock for_restore(const std::filesystem::path& dir);

    DataDirLock(DataDirLock&& other) noexcept;
    DataDirLock& operator=(DataDirLock&&) = delete;
    DataDirLock(const DataDirLock&) = delete;
    DataDirLock& operator=(const DataDirLock&) = delete;
    ~DataDirLock(); // releases the lock (the kernel also does when the process dies)

private:
    explicit DataDirLock(int fd) : m_fd(fd) {}
    int m_fd;
};

} // namespace tokend::datadir
