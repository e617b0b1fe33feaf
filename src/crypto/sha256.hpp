// SHA-256 for the audit log's leak reports (SPEC §12 details.tokenSha256): lets an operator
// match a report against a value they hold without the log keeping the value itself.
#pragma once

#include <string>
#include <string_view>

namespace tokend::crypto {

// Standard base64 (with padding) of SHA-256(`text`).
std::string sha256_base64(std::string_view text);

} // namespace tokend::crypto
