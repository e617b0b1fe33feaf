// Filtered lists and pages. A page asks for one row more than it shows: that row's existence is
// hasMore, and the cursor is the key of the last row shown.
#include "service/token_listing.hpp"

#include "core/error.hpp"
#include "crypto/cursor_mac.hpp"
#include "service/guard.hpp"
#include "store/tokens.hpp"

namespace tokend::service {

namespace {
// Names the filter inside a cursor's MAC, so a cursor only continues the walk it began.
core::CursorScope scope_of(const core::Caller& caller, StateFilter state) {
    switch (state) {
    case StateFilter::Active:
        return {caller.account_id, "state=active"};
    case StateFilter::Expired:
        return {caller.account_id, "state=expired"};
    case StateFilter::Any:
        break;
    }
    return {caller.account_id, ""};
}

std::optional<bool> expired_filter(StateFilter state) {
    if (state == StateFilter::Any) {
        return std::nullopt;
    }
    return state == StateFilter::Expired;
}
} // namespace

TokenListing::TokenListing(store::Store& store, const crypto::TokenHasher& hasher,
                           core::Clock clock)
    : m_store(store), m_mac(crypto::cursor_mac(hasher)), m_clock(std::move(clock)) {}

TokenPage TokenListing::list(const core::Caller& caller, const TokenListQuery& query) {
    require_permission(caller, core::Permission::ApiKeysRead);
    core::CursorScope scope = scope_of(caller, query.state);
    store::tokens::PageRequest request{caller.account_id, expired_filter(query.state),
                                       core::format_timestamp(m_clock()), std::nullopt, -1};
    if (query.cursor) {
        request.after = core::decode_cursor(*query.cursor, scope, m_mac);
        if (!request.after) {
            core::fail(core::ErrorCode::InvalidInput,
                       "cursor is not valid: pass pagination.cursor from the previous page of "
                       "this list (same state filter) unchanged.");
        }
    }
    if (query.paginated()) {
        request.limit = query.page_size() + 1;
    }
    TokenPage page;
    page.now = request.now;
    page.tokens = m_store.read(
        [&request](store::Connection& c) { return store::tokens::page_of_account(c, request); });
    if (query.paginated() && page.tokens.size() > static_cast<std::size_t>(query.page_size())) {
        page.tokens.resize(static_cast<std::size_t>(query.page_size()));
        const auto& last = page.tokens.back();
        page.next_cursor = core::encode_cursor({last.created_at, last.id}, scope, m_mac);
    }
    return page;
}

} // namespace tokend::service
