// Reading an Authorization header value (RFC 6750 §2.1): the "Bearer" scheme in any case, one
// space, then the credential. Pure, so it can be fuzzed and unit-tested without a server.
#pragma once

#include <string_view>

namespace tokend::core {

enum class BearerStatus {
    Missing,   // no header, or only white space
    NotBearer, // another scheme (Basic, …) or no credential after "Bearer "
    Present,
};

struct BearerCredential {
    BearerStatus status;
    std::string_view token; // a view into the header value, trimmed; empty unless Present
};

BearerCredential read_bearer(std::string_view authorization);

} // namespace tokend::core
