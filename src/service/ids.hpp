// New ObjectIds for this process, and parsing of ids that arrive from clients.
#pragma once

#include <string>
#include <string_view>

namespace tokend::service {

std::string new_object_id();
// Lower-cases a 24-hex id, or throws InvalidInput naming `field` (the value is never echoed).
std::string parse_id(std::string_view text, std::string_view field);

} // namespace tokend::service
