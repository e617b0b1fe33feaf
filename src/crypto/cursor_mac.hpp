// The keyed MAC that seals page cursors: BLAKE2b under secret.key, domain-separated from token
// and session hashes, so a cursor tag can never be mistaken for (or reveal) either.
#pragma once

#include "core/page_cursor.hpp"
#include "crypto/token_hasher.hpp"

namespace tokend::crypto {

// `hasher` must outlive the returned function.
core::CursorMac cursor_mac(const TokenHasher& hasher);

} // namespace tokend::crypto
