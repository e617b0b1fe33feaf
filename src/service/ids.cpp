// One ObjectId generator per process, seeded from the CSPRNG.
#include "service/ids.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/object_id.hpp"
#include "crypto/random.hpp"

namespace tokend::service {

std::string new_object_id() {
    static core::ObjectIdGenerator generator(crypto::random_5_bytes(), crypto::random_u32());
    return generator.next();
}

std::string parse_id(std::string_view text, std::string_view field) {
    if (!core::is_object_id(text)) {
        core::fail(core::ErrorCode::InvalidInput,
                   std::string(field) + " must be a 24-character hexadecimal id.");
    }
    std::string id(text);
    std::transform(id.begin(), id.end(), id.begin(),
                   [](char c) { return (c >= 'A' && c <= 'F') ? static_cast<char>(c + 32) : c; });
    return id;
}

} // namespace tokend::service
