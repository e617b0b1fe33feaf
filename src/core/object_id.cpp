// ObjectId generation and shape check.
#include "core/object_id.hpp"

#include <atomic>
#include <chrono>

namespace tokend::core {

namespace {
constexpr char kHex[] = "0123456789abcdef";

void append_hex(std::string& out, std::uint8_t byte) {
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0x0f]);
}
} // namespace

ObjectIdGenerator::ObjectIdGenerator(std::array<std::uint8_t, 5> process_random,
                                     std::uint32_t counter_start)
    : m_process_random(process_random), m_counter(counter_start) {}

std::string ObjectIdGenerator::next() {
    auto seconds =
        static_cast<std::uint32_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count());
    std::uint32_t counter = std::atomic_ref(m_counter).fetch_add(1, std::memory_order_relaxed);
    std::string id;
    id.reserve(24);
    for (int shift = 24; shift >= 0; shift -= 8) {
        append_hex(id, static_cast<std::uint8_t>(seconds >> shift));
    }
    for (std::uint8_t byte : m_process_random) {
        append_hex(id, byte);
    }
    for (int shift = 16; shift >= 0; shift -= 8) {
        append_hex(id, static_cast<std::uint8_t>(counter >> shift));
    }
    return id;
}

bool is_object_id(std::string_view text) {
    if (text.size() != 24) {
        return false;
    }
    for (char c : text) {
        bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (!hex) {
            return false;
        }
    }
    return true;
}

} // namespace tokend::core
