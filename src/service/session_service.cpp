// Sessions, sign-in throttling and first-run setup.
#include "service/session_service.hpp"

#include <thread>

#include "core/access.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/validate.hpp"
#include "crypto/password.hpp"
#include "crypto/random.hpp"
#include "service/audit.hpp"
#include "store/accounts.hpp"
#include "store/sessions.hpp"

namespace tokend::service {

using core::ErrorCode;

namespace {
// Five failures in a row are allowed per email and per address, then one per 30 s.
constexpr double kSignInBurst = 5;
constexpr double kSignInRefillPerSecond = 1.0 / 30;
constexpr std::size_t kSecretLength = 43; // base62: ~256 bits

std::string timestamp_in(std::chrono::system_clock::duration from_now) {
    return core::format_timestamp(std::chrono::system_clock::now() + from_now);
}

[[noreturn]] void throttled(int retry_after) {
    throw core::Error(ErrorCode::RateLimited,
                      "Too many failed sign-ins. Wait " + std::to_string(retry_after) +
                          " seconds and try again.",
                      retry_after);
}

// Failed sign-ins answer after a pause, so one connection cannot try passwords quickly even
// before the limiter refuses it.
constexpr std::chrono::milliseconds kFailurePause{500};

// The session's actor in the audit log: the account it signs in (never the cookie).
core::AuditActor session_actor(const std::string& account_id) {
    return {core::ActorType::Session, account_id, account_id};
}

core::AuditTarget account_target(const core::Account& account) {
    return {"account", account.id, account.email, std::nullopt};
}

std::string new_setup_code() {
    std::string raw = crypto::random_base62(12);
    for (char& c : raw) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return raw.substr(0, 4) + "-" + raw.substr(4, 4) + "-" + raw.substr(8, 4);
}
} // namespace

SessionService::SessionService(store::Store& store, const crypto::TokenHasher& hasher,
                               AccountService& accounts)
    : m_store(store), m_hasher(hasher), m_accounts(accounts),
      m_by_email(kSignInBurst, kSignInRefillPerSecond),
      m_by_address(kSignInBurst, kSignInRefillPerSecond) {}

crypto::Digest SessionService::hash_secret(std::string_view secret) const {
    // Domain-separated from token hashes, though both use secret.key.
    return m_hasher.hash("session:" + std::string(secret));
}

SignedIn SessionService::start_session(core::Account account, const core::Origin& origin) {
    SignedIn signed_in{std::move(account), crypto::random_base62(kSecretLength)};
    auto digest = hash_secret(signed_in.secret);
    std::string now = core::now_timestamp();
    std::string expires = timestamp_in(kSessionLifetime);
    const std::string& id = signed_in.account.id;
    m_store.write([&](store::Connection& c) {
        store::sessions::remove_expired(c, now);
        store::sessions::insert(c, digest, id, now, expires);
        auto event = audit::make("session.signed_in", session_actor(id), origin, id, now);
        event.target = account_target(signed_in.account);
        audit::record(c, event);
    });
    return signed_in;
}

SignedIn SessionService::sign_in(std::string_view email, std::string_view password,
                                 const core::Origin& origin) {
    const std::string& client_address = origin.ip;
    std::string email_key = core::normalize_email(email, "email");
    int wait =
        std::max(m_by_email.retry_after(email_key), m_by_address.retry_after(client_address));
    if (wait > 0) {
        throttled(wait);
    }
    auto account =
        m_store.read([&](store::Connection& c) { return store::accounts::by_email(c, email_key); });
    // Argon2id runs for unknown emails too (against a dummy hash), outside any lock.
    bool ok = crypto::verify_password(account ? account->password_hash : std::nullopt, password);
    if (!ok) {
        // In the account's log when the email is one; an unknown email is not stored (people
        // type passwords into the email field).
        std::string now = core::now_timestamp();
        auto event = audit::make("session.signin_failed", audit::anonymous_actor(), origin,
                                 account ? std::optional(account->id) : std::nullopt, now);
        event.success = false;
        if (account) {
            event.target = account_target(*account);
        }
        m_store.write([&](store::Connection& c) { audit::record(c, event); });
        std::this_thread::sleep_for(kFailurePause);
        int by_email = m_by_email.record_failure(email_key);
        int by_address = m_by_address.record_failure(client_address);
        if (std::max(by_email, by_address) > 0) {
            throttled(std::max(by_email, by_address));
        }
        core::fail(ErrorCode::Unauthenticated, "Wrong email or password.");
    }
    return start_session(std::move(*account), origin);
}

void SessionService::sign_out(std::string_view secret, const core::Origin& origin) {
    auto digest = hash_secret(secret);
    std::string now = core::now_timestamp();
    m_store.write([&](store::Connection& c) {
        auto account_id = store::sessions::account_of(c, digest, now);
        store::sessions::remove(c, digest);
        if (account_id) {
            auto event = audit::make("session.signed_out", session_actor(*account_id), origin,
                                     *account_id, now);
            event.target = core::AuditTarget{"account", *account_id, std::nullopt, std::nullopt};
            audit::record(c, event);
        }
    });
}

core::Caller SessionService::caller(std::string_view secret) {
    auto digest = hash_secret(secret);
    std::string now = core::now_timestamp();
    auto account_id = m_store.read(
        [&](store::Connection& c) { return store::sessions::account_of(c, digest, now); });
    if (!account_id) {
        core::fail(ErrorCode::Unauthenticated, "Your session has ended. Sign in again.");
    }
    return core::full_access(*account_id);
}

std::optional<std::string> SessionService::open_setup() {
    std::lock_guard lock(m_setup_mutex);
    if (m_accounts.any_exists()) {
        return std::nullopt;
    }
    m_setup_code = new_setup_code();
    return m_setup_code;
}

bool SessionService::setup_required() {
    return !m_accounts.any_exists();
}

SignedIn SessionService::complete_setup(const SetupRequest& request, const core::Origin& origin) {
    const std::string& client_address = origin.ip;
    if (int wait = m_by_address.retry_after(client_address); wait > 0) {
        throttled(wait);
    }
    core::Account account;
    {
        // Held across the check and the create, so one code makes exactly one owner account.
        std::lock_guard lock(m_setup_mutex);
        if (!setup_required()) {
            core::fail(ErrorCode::Conflict, "Setup is already complete. Sign in instead.");
        }
        std::string given = request.code;
        for (char& c : given) {
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
        if (!m_setup_code || !crypto::same_secret(*m_setup_code, given)) {
            if (int wait = m_by_address.record_failure(client_address); wait > 0) {
                throttled(wait);
            }
            core::fail(ErrorCode::Forbidden,
                       "The setup code is not valid. Use the code from the server log.");
        }
        std::optional<std::string_view> name;
        if (request.name) {
            name = *request.name;
        }
        account = m_accounts.create_at_setup(request.email, name, request.password, origin);
        m_setup_code.reset();
    }
    return start_session(std::move(account), origin);
}

} // namespace tokend::service
