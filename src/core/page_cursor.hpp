// Keyset cursors for newest-first lists (SPEC §11.11): the (createdAt, _id) of the last item a
// page showed, bound to the account and filter it was issued for, sealed with a keyed MAC so a
// forged, altered or foreign cursor is refused. Pure: the MAC comes from the crypto room.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace tokend::core {

// Where the next page starts: strictly after (older than) this item in
// ORDER BY created_at DESC, id DESC.
struct PageKey {
    std::string created_at; // as stored: "2026-12-02T03:55:31.123Z"
    std::string id;         // 24 lower-case hex digits
    bool operator==(const PageKey&) const = default;
};

// What a cursor is valid for. A cursor decodes only under the scope it was encoded with, so one
// account's cursor cannot walk another's list and a filter cannot be swapped mid-walk.
struct CursorScope {
    std::string account_id;
    std::string filter; // e.g. "state=active"; "" for none
};

// Keyed MAC of `message`; at least kCursorTagLength bytes (only that many are kept).
using CursorMac = std::function<std::string(std::string_view message)>;
inline constexpr std::size_t kCursorTagLength = 16;

// The opaque text: base64url of version, createdAt, id and a truncated MAC; URL-safe as is.
std::string encode_cursor(const PageKey& key, const CursorScope& scope, const CursorMac& mac);
// nullopt for anything that is not a cursor this server issued for `scope`: bad base64url,
// wrong length or version, a MAC mismatch (tampered, forged, foreign account or filter).
std::optional<PageKey> decode_cursor(std::string_view text, const CursorScope& scope,
                                     const CursorMac& mac);

} // namespace tokend::core
