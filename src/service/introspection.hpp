// RFC 7662 token introspection (SPEC §11.10): is this key, presented by another party, a working
// key of the caller's account right now? Anything else is simply "not active", with no reason,
// so the answer reveals nothing about other accounts' tokens or why a key stopped working.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/types.hpp"
#include "crypto/token_hasher.hpp"
#include "store/store.hpp"

namespace tokend::service {

// An active key: its token and the moment this key stops working (the token's expiry, or for a
// rotated-away key the end of its grace if earlier); nullopt = never.
struct ActiveKey {
    core::AccessToken token;
    std::optional<std::string> expires_at;
};

class Introspection {
public:
    Introspection(store::Store& store, const crypto::TokenHasher& hasher, core::Clock clock);

    // Needs api-keys:read. nullopt for a malformed, unknown, revoked or expired key, a
    // rotated-away key past its grace, and any key of another account. Reading is not a use
    // of the key: lastUsedAt does not move.
    std::optional<ActiveKey> introspect(const core::Caller& caller, std::string_view key);

private:
    store::Store& m_store;
    const crypto::TokenHasher& m_hasher;
    core::Clock m_clock;
};

} // namespace tokend::service
