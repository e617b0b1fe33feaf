// Listing, creating and revoking access tokens (SPEC §6), with every scope rule of §5.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/ip_range.hpp"
#include "core/types.hpp"
#include "crypto/token_hasher.hpp"
#include "store/store.hpp"

namespace tokend::service {

// A create request after parsing: each field is absent (nullopt) when the caller omitted it.
// Values are already validated for shape (names normalised, permissions known, ids well formed).
struct TokenRequest {
    std::optional<std::optional<std::string>> name;
    std::optional<core::Permissions> permissions;
    std::optional<std::vector<std::string>> website_ids;
    std::optional<core::IpRanges> allowed_ips;                // SPEC §11.6
    std::optional<std::optional<core::RateLimit>> rate_limit; // SPEC §11.7; null = none
};

struct CreatedToken {
    core::AccessToken token;
    std::string key; // the raw token: returned once, never stored
};

class TokenService {
public:
    TokenService(store::Store& store, const crypto::TokenHasher& hasher, int max_tokens_per_account,
                 core::Clock clock);

    std::vector<core::AccessToken> list(const core::Caller& caller);
    CreatedToken create(const core::Caller& caller, const TokenRequest& request);
    void revoke(const core::Caller& caller, const std::string& token_id);
    // The CLI's revoke: any live token by id, no caller (the operator owns the data dir).
    void revoke_any(const std::string& token_id);

private:
    core::Scope requested_scope(const core::Caller& caller, const TokenRequest& request);

    store::Store& m_store;
    const crypto::TokenHasher& m_hasher;
    int m_max_tokens;
    core::Clock m_clock;
};

} // namespace tokend::service
