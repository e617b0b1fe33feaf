// secret.key handling and keyed BLAKE2b.
#include "crypto/token_hasher.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sodium.h>
#include <stdexcept>
#include <unistd.h>

#include "crypto/random.hpp"

namespace tokend::crypto {

std::string read_secret_key(const std::filesystem::path& path) {
    for (int attempt = 0; attempt < 50; ++attempt) {
        int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            throw std::runtime_error("cannot read " + path.string() + ": " + std::strerror(errno));
        }
        std::string key(kSecretKeyLength + 1, '\0');
        ssize_t n = ::read(fd, key.data(), key.size());
        ::close(fd);
        if (n == static_cast<ssize_t>(kSecretKeyLength)) {
            key.resize(kSecretKeyLength);
            return key;
        }
        if (n > static_cast<ssize_t>(kSecretKeyLength)) {
            break;
        }
        ::usleep(10'000); // another process may be between create and write
    }
    throw std::runtime_error(path.string() + " must hold exactly 32 bytes");
}

std::string load_or_create_secret_key(const std::filesystem::path& path) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST) {
            return read_secret_key(path);
        }
        throw std::runtime_error("cannot create " + path.string() + ": " + std::strerror(errno));
    }
    std::string key = random_bytes(kSecretKeyLength);
    bool written =
        ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!written) {
        ::unlink(path.c_str());
        throw std::runtime_error("cannot write " + path.string());
    }
    return key;
}

bool same_secret(std::string_view a, std::string_view b) {
    return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

TokenHasher::TokenHasher(std::string key) : m_key(std::move(key)) {
    if (m_key.size() != kSecretKeyLength) {
        throw std::invalid_argument("secret key must be 32 bytes");
    }
}

Digest TokenHasher::hash(std::string_view token) const {
    Digest out{};
    crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(token.data()),
                       token.size(), reinterpret_cast<const unsigned char*>(m_key.data()),
                       m_key.size());
    return out;
}

} // namespace tokend::crypto
