// Account rules. Argon2id hashing runs before the write is queued, outside any lock.
#include "service/account_service.hpp"

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/validate.hpp"
#include "crypto/password.hpp"
#include "service/audit.hpp"
#include "service/guard.hpp"
#include "service/ids.hpp"
#include "store/accounts.hpp"

namespace tokend::service {

using core::ErrorCode;

namespace {
core::AuditEvent account_event(std::string_view name, const core::AuditActor& actor,
                               const core::Origin& origin, const core::Account& account) {
    auto event = audit::make(name, actor, origin, account.id, core::now_timestamp());
    event.target = core::AuditTarget{"account", account.id, account.email, std::nullopt};
    return event;
}
} // namespace

core::Account AccountService::create(std::string_view email, std::optional<std::string_view> name,
                                     std::optional<std::string_view> password) {
    return insert(email, name, password, audit::cli_actor(), {}, false);
}

core::Account AccountService::create_at_setup(std::string_view email,
                                              std::optional<std::string_view> name,
                                              std::string_view password,
                                              const core::Origin& origin) {
    return insert(email, name, password, audit::anonymous_actor(), origin, true);
}

core::Account AccountService::insert(std::string_view email, std::optional<std::string_view> name,
                                     std::optional<std::string_view> password,
                                     const core::AuditActor& actor, const core::Origin& origin,
                                     bool at_setup) {
    core::Account account;
    account.email = core::normalize_email(email, "email");
    if (name) {
        account.name = core::normalize_name(*name, "name");
    }
    if (password) {
        core::check_password(*password);
        account.password_hash = crypto::hash_password(*password);
    }
    account.id = new_object_id();
    account.created_at = core::now_timestamp();
    bool inserted = m_store.write([&](store::Connection& c) {
        if (at_setup) {
            // Nodes sharing one database each print a setup code: only the first set-up counts.
            store::accounts::lock_for_setup(c);
            if (store::accounts::count(c) > 0) {
                core::fail(ErrorCode::Conflict, "Setup is already complete. Sign in instead.");
            }
        }
        if (!store::accounts::insert(c, account)) {
            return false;
        }
        audit::record(c, account_event("account.created", actor, origin, account));
        if (at_setup) {
            audit::record(c, account_event("setup.completed", actor, origin, account));
        }
        return true;
    });
    if (!inserted) {
        core::fail(ErrorCode::Conflict, "An account with this email already exists.");
    }
    return account;
}

core::Account AccountService::by_email(std::string_view email) {
    std::string normalized = core::normalize_email(email, "email");
    auto account = m_store.read(
        [&](store::Connection& c) { return store::accounts::by_email(c, normalized); });
    if (!account) {
        core::fail(ErrorCode::NotFound, "No account has this email.");
    }
    return *account;
}

void AccountService::set_password(std::string_view email, std::string_view password) {
    core::check_password(password);
    core::Account account = by_email(email);
    std::string hash = crypto::hash_password(password);
    m_store.write([&](store::Connection& c) {
        store::accounts::set_password_hash(c, account.id, hash);
        audit::record(c, account_event("account.password_set", audit::cli_actor(), {}, account));
    });
}

core::Account AccountService::current(const core::Caller& caller) {
    require_permission(caller, core::Permission::AnalyticsRead);
    return by_id(caller.account_id);
}

core::Account AccountService::by_id(const std::string& id) {
    auto account =
        m_store.read([&](store::Connection& c) { return store::accounts::by_id(c, id); });
    if (!account) {
        core::fail(ErrorCode::NotFound, "This account no longer exists.");
    }
    return *account;
}

bool AccountService::any_exists() {
    return m_store.read([](store::Connection& c) { return store::accounts::count(c) > 0; });
}

} // namespace tokend::service
