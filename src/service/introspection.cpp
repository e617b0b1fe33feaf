// Introspection: the authenticator's key rules (shape, one keyed-hash lookup of either key,
// revocation, expiry, grace) without its side effects (usage, failed-attempt counting).
#include "service/introspection.hpp"

#include "core/expiry.hpp"
#include "core/token_format.hpp"
#include "service/guard.hpp"
#include "store/tokens.hpp"

namespace tokend::service {

Introspection::Introspection(store::Store& store, const crypto::TokenHasher& hasher,
                             core::Clock clock)
    : m_store(store), m_hasher(hasher), m_clock(std::move(clock)) {}

std::optional<ActiveKey> Introspection::introspect(const core::Caller& caller,
                                                   std::string_view key) {
    require_permission(caller, core::Permission::ApiKeysRead);
    if (!core::is_well_formed_token(key)) {
        return std::nullopt;
    }
    auto digest = m_hasher.hash(key);
    auto found = m_store.read(
        [&digest](store::Connection& c) { return store::tokens::by_key_hash(c, digest); });
    std::string now = core::format_timestamp(m_clock());
    if (!found || found->token.account_id != caller.account_id || found->token.revoked_at ||
        core::is_expired(found->token, now)) {
        return std::nullopt;
    }
    ActiveKey active{std::move(found->token), std::nullopt};
    active.expires_at = active.token.expires_at;
    if (found->previous_key) {
        if (!core::previous_key_works(active.token, now)) {
            return std::nullopt;
        }
        if (!active.expires_at || *active.token.previous_expires_at < *active.expires_at) {
            active.expires_at = active.token.previous_expires_at;
        }
    }
    return active;
}

} // namespace tokend::service
