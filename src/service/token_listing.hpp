// The token list's filter and keyset pages (SPEC §11.2 `state`, §11.11): newest first, each page
// one indexed read that starts strictly after the last item of the page before, so tokens
// created or revoked between two requests never shift the walk.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/page_cursor.hpp"
#include "core/types.hpp"
#include "crypto/token_hasher.hpp"
#include "store/store.hpp"

namespace tokend::service {

enum class StateFilter { Any, Active, Expired };

inline constexpr int kMaxPageSize = 100;

// A list request after parsing. Without limit and cursor it is not paginated.
struct TokenListQuery {
    StateFilter state = StateFilter::Any;
    std::optional<int> limit;          // 1..kMaxPageSize, checked at the edge
    std::optional<std::string> cursor; // as the client sent it
    bool paginated() const { return limit.has_value() || cursor.has_value(); }
    // `cursor` alone pages by the largest size.
    int page_size() const { return limit.value_or(kMaxPageSize); }
};

struct TokenPage {
    std::vector<core::AccessToken> tokens;
    std::optional<std::string> next_cursor; // set exactly when more tokens follow
    std::string now; // the moment the filter used: render `state` with it, so the two agree
};

class TokenListing {
public:
    TokenListing(store::Store& store, const crypto::TokenHasher& hasher, core::Clock clock);

    // The caller's account's live tokens matching the filter, newest first; a whole list when
    // the query is not paginated. Throws InvalidInput naming `cursor` for a cursor this server
    // did not issue for this account and filter.
    TokenPage list(const core::Caller& caller, const TokenListQuery& query);

private:
    store::Store& m_store;
    core::CursorMac m_mac;
    core::Clock m_clock;
};

} // namespace tokend::service
