// Cursor MAC on top of the token hasher's key.
#include "crypto/cursor_mac.hpp"

#include <string>

namespace tokend::crypto {

core::CursorMac cursor_mac(const TokenHasher& hasher) {
    return [&hasher](std::string_view message) {
        // Tokens start "dft_" and session secrets are hashed as "session:…": this prefix keeps the
        // three inputs disjoint under the one key.
        Digest digest = hasher.hash("cursor:" + std::string(message));
        return std::string(digest.begin(), digest.end());
    };
}

} // namespace tokend::crypto
