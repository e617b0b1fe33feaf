// ObjectIds: 24 hex digits = 4-byte big-endian seconds, 5 per-process random bytes, 3-byte counter.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace tokend::core {

// `process_random` is 5 random bytes chosen once per process (crypto room supplies them).
class ObjectIdGenerator {
public:
    ObjectIdGenerator(std::array<std::uint8_t, 5> process_random, std::uint32_t counter_start);
    std::string next();

private:
    std::array<std::uint8_t, 5> m_process_random;
    std::uint32_t m_counter;
};

bool is_object_id(std::string_view text);

} // namespace tokend::core
