// Admin-page sign-in (SPEC §7): email + password → a random session secret stored only as its
// keyed hash, expiring; sign-out deletes it. Also the first-run setup code.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include "core/types.hpp"
#include "crypto/token_hasher.hpp"
#include "service/account_service.hpp"
#include "service/failure_limiter.hpp"
#include "store/store.hpp"

namespace tokend::service {

inline constexpr std::chrono::hours kSessionLifetime{8};

struct SignedIn {
    core::Account account;
    std::string secret; // the cookie value: returned once, stored hashed
};

struct SetupRequest {
    std::string code;
    std::string email;
    std::optional<std::string> name;
    std::string password;
};

class SessionService {
public:
    SessionService(store::Store& store, const crypto::TokenHasher& hasher,
                   AccountService& accounts);

    // Throws InvalidToken for wrong credentials (same message whether or not the email exists)
    // and RateLimited once this email or address has failed too often.
    // `origin.ip` is the client address the throttles count.
    SignedIn sign_in(std::string_view email, std::string_view password, const core::Origin& origin);
    void sign_out(std::string_view secret, const core::Origin& origin);
    // The caller a live session acts as: its account, full access. Throws Unauthenticated.
    core::Caller caller(std::string_view secret);

    // First run: while no account exists, a one-time code (returned for the log) lets the page
    // create the owner account. Returns nullopt when accounts exist.
    std::optional<std::string> open_setup();
    bool setup_required();
    SignedIn complete_setup(const SetupRequest& request, const core::Origin& origin);

private:
    SignedIn start_session(core::Account account, const core::Origin& origin);
    crypto::Digest hash_secret(std::string_view secret) const;

    store::Store& m_store;
    const crypto::TokenHasher& m_hasher;
    AccountService& m_accounts;
    FailureLimiter m_by_email;
    FailureLimiter m_by_address;
    std::mutex m_setup_mutex;
    std::optional<std::string> m_setup_code;
};

} // namespace tokend::service
