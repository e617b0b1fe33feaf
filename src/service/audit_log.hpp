// Reading and keeping the audit log (SPEC §12): an account's events newest first in keyset pages
// (the cursor rules of §11.11), the CLI's walk over every account, and the retention purge.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/audit_event.hpp"
#include "core/clock.hpp"
#include "core/page_cursor.hpp"
#include "core/types.hpp"
#include "crypto/token_hasher.hpp"
#include "store/store.hpp"

namespace tokend::service {

inline constexpr int kDefaultAuditPage = 50;
inline constexpr int kMaxAuditPage = 100;

// GET /api/v1/admin/audit-events after parsing; values are checked at the edge (event is one of
// §12's names, tokenId an id, since/until normalized timestamps).
struct AuditQuery {
    std::optional<std::string> event;
    std::optional<std::string> token_id;
    std::optional<bool> success; // outcome
    std::optional<std::string> since;
    std::optional<std::string> until;
    int limit = kDefaultAuditPage;
    std::optional<std::string> cursor;
};

struct AuditPage {
    std::vector<core::AuditEvent> events;
    std::optional<std::string> next_cursor;
};

class AuditLog {
public:
    AuditLog(store::Store& store, const crypto::TokenHasher& hasher, core::Clock clock,
             std::chrono::seconds retention);

    // Needs api-keys:read. A token limited to some websites sees only the events about itself
    // (tokenId = its id) (docs/decisions.md): account events name other websites and tokens. Throws
    // InvalidInput naming `cursor` for a cursor not issued for this account and these filters.
    AuditPage list(const core::Caller& caller, const AuditQuery& query);

    // Every account's events, oldest first (`tokend audit list`; the operator owns the data).
    std::vector<core::AuditEvent> all_since(const std::optional<std::string>& since);

    // Deletes events older than the retention; returns how many.
    int purge();

private:
    store::Store& m_store;
    core::CursorMac m_mac;
    core::Clock m_clock;
    std::chrono::seconds m_retention;
};

} // namespace tokend::service
