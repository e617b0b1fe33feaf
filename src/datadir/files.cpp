// POSIX file operations with the error messages a person can act on.
#include "datadir/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace tokend::datadir {

std::filesystem::path clean_path(const std::filesystem::path& path) {
    auto clean = std::filesystem::absolute(path).lexically_normal();
    return clean.has_filename() ? clean : clean.parent_path();
}

void create_private_dir(const std::filesystem::path& dir) {
    if (std::filesystem::exists(dir)) {
        return;
    }
    std::filesystem::create_directories(dir);
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace);
}

bool is_empty_dir(const std::filesystem::path& dir) {
    return std::filesystem::is_directory(dir) && std::filesystem::is_empty(dir);
}

namespace {
[[noreturn]] void fail_io(const std::string& what, const std::filesystem::path& path) {
    throw std::runtime_error("cannot " + what + " " + path.string() + ": " + std::strerror(errno));
}

bool write_all(int fd, const char* data, std::size_t size) {
    for (std::size_t done = 0; done < size;) {
        ssize_t n = ::write(fd, data + done, size - done);
        if (n <= 0) {
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

// Creates `to` exclusively at 0600, lets `fill` write into it, then fsyncs it.
template <class Fill>
void create_private(const std::filesystem::path& to, Fill fill) {
    int fd = ::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        fail_io("create", to);
    }
    // open()'s mode is reduced by the umask; a key file must be 0600 whatever the umask is.
    bool ok = ::fchmod(fd, 0600) == 0 && fill(fd) && ::fsync(fd) == 0;
    int saved = errno;
    ::close(fd);
    if (!ok) {
        errno = saved;
        fail_io("write", to);
    }
}
} // namespace

void write_private_file(const std::filesystem::path& to, std::string_view bytes) {
    create_private(to, [&](int fd) { return write_all(fd, bytes.data(), bytes.size()); });
}

void copy_private_file(const std::filesystem::path& from, const std::filesystem::path& to) {
    int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0) {
        fail_io("read", from);
    }
    try {
        create_private(to, [in](int fd) {
            char buffer[64 * 1024];
            for (;;) {
                ssize_t n = ::read(in, buffer, sizeof buffer);
                if (n <= 0) {
                    return n == 0;
                }
                if (!write_all(fd, buffer, static_cast<std::size_t>(n))) {
                    return false;
                }
            }
        });
    } catch (...) {
        ::close(in);
        throw;
    }
    ::close(in);
}

std::string read_whole_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        fail_io("read", path);
    }
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

void sync_path(const std::filesystem::path& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fail_io("open", path);
    }
    bool ok = ::fsync(fd) == 0;
    int saved = errno;
    ::close(fd);
    if (!ok) {
        errno = saved;
        fail_io("fsync", path);
    }
}

void rename_durably(const std::filesystem::path& from, const std::filesystem::path& to) {
    if (::rename(from.c_str(), to.c_str()) != 0) {
        fail_io("rename " + from.string() + " to", to);
    }
    auto parent = to.parent_path();
    sync_path(parent.empty() ? std::filesystem::path(".") : parent);
}

std::filesystem::path temp_sibling(const std::filesystem::path& target, std::string_view tag) {
    auto name = "." + target.filename().string() + "." + std::string(tag) + "-" +
                std::to_string(::getpid());
    return target.parent_path() / name;
}

} // namespace tokend::datadir
