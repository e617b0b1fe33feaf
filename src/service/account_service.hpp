// Accounts: creation (CLI, first-run setup), lookup, password, and the account endpoint.
#pragma once

#include <optional>
#include <string>

#include "core/types.hpp"
#include "store/store.hpp"

namespace tokend::service {

class AccountService {
public:
    explicit AccountService(store::Store& store) : m_store(store) {}

    // `email` and `name` raw; validated here. Conflict when the email is taken. The operator's
    // (audited with actor cli).
    core::Account create(std::string_view email, std::optional<std::string_view> name,
                         std::optional<std::string_view> password);
    // The first-run page's owner account: audited as account.created and setup.completed by an
    // anonymous actor from `origin`, in the same write.
    core::Account create_at_setup(std::string_view email, std::optional<std::string_view> name,
                                  std::string_view password, const core::Origin& origin);
    core::Account by_email(std::string_view email); // NotFound when absent
    core::Account by_id(const std::string& id);     // NotFound when absent
    void set_password(std::string_view email, std::string_view password);
    // GET /account: needs analytics:read.
    core::Account current(const core::Caller& caller);
    bool any_exists();

private:
    core::Account insert(std::string_view email, std::optional<std::string_view> name,
                         std::optional<std::string_view> password, const core::AuditActor& actor,
                         const core::Origin& origin, bool at_setup);

    store::Store& m_store;
};

} // namespace tokend::service
