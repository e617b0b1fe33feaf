// Websites: creation with the creator as owner, and the access rule for each website route.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/types.hpp"
#include "store/store.hpp"

namespace tokend::service {

struct WebsiteDraft {
    std::string domain;                  // raw; validated here
    std::optional<std::string> name;     // raw; validated here
    std::optional<std::string> timezone; // IANA name; default UTC
};

class WebsiteService {
public:
    explicit WebsiteService(store::Store& store) : m_store(store) {}

    // Creates a website owned by `owner_account_id` (CLI and API). Conflict on a duplicate domain.
    core::Website create_owned(const std::string& owner_account_id, const WebsiteDraft& draft);

private:
    store::Store& m_store;
};

} // namespace tokend::service
