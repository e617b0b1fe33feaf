// Password hashing and constant-shape verification.
#include "crypto/password.hpp"

#include <sodium.h>
#include <stdexcept>

namespace tokend::crypto {

std::string hash_password(std::string_view password) {
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        throw std::runtime_error("out of memory while hashing a password");
    }
    return out;
}

bool verify_password(const std::optional<std::string>& stored_hash, std::string_view password) {
    static const std::string dummy = hash_password("tokend dummy password for unknown emails");
    const std::string& hash = stored_hash ? *stored_hash : dummy;
    bool ok = crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
    return ok && stored_hash.has_value();
}

} // namespace tokend::crypto
