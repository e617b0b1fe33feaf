// Website rules.
#include "service/website_service.hpp"

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/validate.hpp"
#include "service/ids.hpp"
#include "store/websites.hpp"

namespace tokend::service {

using core::ErrorCode;

core::Website WebsiteService::create_owned(const std::string& owner_account_id,
                                           const WebsiteDraft& draft) {
    core::Website website;
    website.domain = core::normalize_domain(draft.domain, "domain");
    if (draft.name) {
        website.name = core::normalize_name(*draft.name, "name");
    }
    website.timezone = draft.timezone.value_or("UTC");
    if (!core::is_known_timezone(website.timezone)) {
        core::fail(ErrorCode::InvalidInput,
                   "timezone must be an IANA time zone such as Europe/Paris.");
    }
    website.id = new_object_id();
    website.owner_id = owner_account_id;
    website.created_at = core::now_timestamp();
    bool inserted = m_store.write(
        [&](store::Connection& c) { return store::websites::insert_with_owner(c, website); });
    if (!inserted) {
        core::fail(ErrorCode::Conflict,
                   "You already have a website with the domain " + website.domain + ".");
    }
    return website;
}

} // namespace tokend::service
