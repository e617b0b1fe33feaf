// Token lifetime rules (SPEC §11.2–§11.3) on normalized timestamps: whether a token or its
// rotated-away key still works at a given moment.
#pragma once

#include <string>

#include "core/types.hpp"

namespace tokend::core {

// From expiresAt on, the token is expired (the boundary belongs to "expired").
inline bool is_expired(const AccessToken& token, const std::string& now) {
    return token.expires_at && *token.expires_at <= now;
}

// The rotated-away key works while its deadline lies ahead.
inline bool previous_key_works(const AccessToken& token, const std::string& now) {
    return token.previous_expires_at && *token.previous_expires_at > now;
}

} // namespace tokend::core
