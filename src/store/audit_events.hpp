// Repository of the append-only audit log (SPEC §12). insert() runs inside the caller's write
// transaction, so an event commits or rolls back with its change.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/audit_event.hpp"
#include "core/page_cursor.hpp"
#include "core/types.hpp"
#include "store/connection.hpp"

namespace tokend::store::audit_events {

struct PageRequest {
    std::string account_id;
    std::optional<std::string> event;
    std::optional<std::string> token_id;
    std::optional<std::string> outcome; // "success" | "denied"
    std::optional<std::string> since;   // normalized timestamps, inclusive
    std::optional<std::string> until;
    std::optional<core::PageKey> after; // start strictly after this (createdAt, id)
    int limit = 51;
};

void insert(Connection& c, const core::AuditEvent& event);
std::vector<core::AuditEvent> page_of_account(Connection& c, const PageRequest& request);
// Every account's events, oldest first (the CLI's `audit list`).
std::vector<core::AuditEvent> all_since(Connection& c, const std::optional<std::string>& since);
// Deletes events created before `cutoff`; returns how many.
int purge_before(Connection& c, const std::string& cutoff);

} // namespace tokend::store::audit_events
