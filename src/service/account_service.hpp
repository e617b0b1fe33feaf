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

    // `email` and `name` raw; validated here. Conflict when the email is taken.
    core::Account create(std::string_view email, std::optional<std::string_view> name,
                         std::optional<std::string_view> password);
    core::Account by_email(std::string_view email); // NotFound when absent
    core::Account by_id(const std::string& id);     // NotFound when absent
    void set_password(std::string_view email, std::string_view password);
    // GET /account: needs analytics:read.
    core::Account current(const core::Caller& caller);
    bool any_exists();

private:
    store::Store& m_store;
};

} // namespace tokend::service
