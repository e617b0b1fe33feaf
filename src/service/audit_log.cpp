// Audit pages: one row more than shown decides hasMore; the cursor is bound to the account and
// the filters, so it cannot continue another walk.
#include "service/audit_log.hpp"

#include "core/error.hpp"
#include "crypto/cursor_mac.hpp"
#include "service/guard.hpp"
#include "store/audit_events.hpp"

namespace tokend::service {

namespace {
std::string filter_text(const store::audit_events::PageRequest& r) {
    std::string text = "audit";
    auto add = [&text](const char* name, const std::optional<std::string>& value) {
        text += std::string("|") + name + "=" + value.value_or("-");
    };
    add("event", r.event);
    add("tokenId", r.token_id);
    add("outcome", r.outcome);
    add("since", r.since);
    add("until", r.until);
    return text;
}
} // namespace

AuditLog::AuditLog(store::Store& store, const crypto::TokenHasher& hasher, core::Clock clock,
                   std::chrono::seconds retention)
    : m_store(store), m_mac(crypto::cursor_mac(hasher)), m_clock(std::move(clock)),
      m_retention(retention) {}

AuditPage AuditLog::list(const core::Caller& caller, const AuditQuery& query) {
    require_permission(caller, core::Permission::ApiKeysRead);
    store::audit_events::PageRequest request;
    request.account_id = caller.account_id;
    request.event = query.event;
    request.token_id = query.token_id;
    if (!caller.token_id.empty() && !caller.scope.website_ids.empty()) {
        if (query.token_id && *query.token_id != caller.token_id) {
            // Another token's events are outside a website-scoped token's view: none.
            return {};
        }
        request.token_id = caller.token_id;
    }
    if (query.success) {
        request.outcome = std::string(core::outcome_name(*query.success));
    }
    request.since = query.since;
    request.until = query.until;
    core::CursorScope scope{caller.account_id, filter_text(request)};
    if (query.cursor) {
        request.after = core::decode_cursor(*query.cursor, scope, m_mac);
        if (!request.after) {
            core::fail(core::ErrorCode::InvalidInput,
                       "cursor is not valid: pass pagination.cursor from the previous page of "
                       "this list (same filters) unchanged.");
        }
    }
    request.limit = query.limit + 1;
    AuditPage page;
    page.events = m_store.read([&request](store::Connection& c) {
        return store::audit_events::page_of_account(c, request);
    });
    if (page.events.size() > static_cast<std::size_t>(query.limit)) {
        page.events.resize(static_cast<std::size_t>(query.limit));
        const auto& last = page.events.back();
        page.next_cursor = core::encode_cursor({last.created_at, last.id}, scope, m_mac);
    }
    return page;
}

std::vector<core::AuditEvent> AuditLog::all_since(const std::optional<std::string>& since) {
    return m_store.read(
        [&since](store::Connection& c) { return store::audit_events::all_since(c, since); });
}

int AuditLog::purge() {
    std::string cutoff = core::format_timestamp(m_clock() - m_retention);
    return m_store.write(
        [&cutoff](store::Connection& c) { return store::audit_events::purge_before(c, cutoff); });
}

} // namespace tokend::service
