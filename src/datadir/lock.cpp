// flock(2) on DIR/tokend.lock. flock, not fcntl record locks: those are dropped when the process
// closes any descriptor of the file, and never conflict within one process.
#include "datadir/lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "core/error.hpp"
#include "datadir/files.hpp"

namespace tokend::datadir {

namespace {
// Returns the locked descriptor, or -1 when another process holds a conflicting lock.
int try_lock(const std::filesystem::path& dir, int operation) {
    create_private_dir(dir);
    auto file = dir / kLockFile;
    int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        throw std::runtime_error("cannot open " + file.string() + ": " + std::strerror(errno));
    }
    if (::flock(fd, operation | LOCK_NB) == 0) {
        return fd;
    }
    int saved = errno;
    ::close(fd);
    if (saved != EWOULDBLOCK) {
        throw std::runtime_error("cannot lock " + file.string() + ": " + std::strerror(saved));
    }
    return -1;
}
} // namespace

DataDirLock DataDirLock::for_serve(const std::filesystem::path& dir) {
    int fd = try_lock(dir, LOCK_SH);
    if (fd < 0) {
        core::fail(core::ErrorCode::Conflict,
                   "a restore into " + dir.string() + " is running; start the server when it ends");
    }
    return DataDirLock(fd);
}

DataDirLock DataDirLock::for_restore(const std::filesystem::path& dir) {
    int fd = try_lock(dir, LOCK_EX);
    if (fd < 0) {
        core::fail(core::ErrorCode::Conflict, "a tokend server is running on " + dir.string() +
                                                  "; stop it before restoring into it");
    }
    return DataDirLock(fd);
}

DataDirLock::DataDirLock(DataDirLock&& other) noexcept : m_fd(other.m_fd) {
    other.m_fd = -1;
}

DataDirLock::~DataDirLock() {
    if (m_fd >= 0) {
        ::close(m_fd);
    }
}

} // namespace tokend::datadir
