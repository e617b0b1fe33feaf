// Connection caps.
#include "http/front_door/admission.hpp"

#include <utility>

namespace tokend::http::front_door {

Admission::Admission(int max_total, int max_per_address)
    : m_max_total(max_total), m_max_per_address(max_per_address) {}

Admission::Ticket Admission::admit(const std::string& address) {
    std::lock_guard lock(m_mutex);
    auto& from_address = m_by_address[address];
    if (m_total >= m_max_total || from_address >= m_max_per_address) {
        if (from_address == 0) {
            m_by_address.erase(address);
        }
        return {};
    }
    ++m_total;
    ++from_address;
    return Ticket(this, address);
}

void Admission::release(const std::string& address) {
    std::lock_guard lock(m_mutex);
    --m_total;
    if (auto it = m_by_address.find(address); it != m_by_address.end() && --it->second == 0) {
        m_by_address.erase(it);
    }
}

Admission::Ticket::Ticket(Admission* owner, std::string address)
    : m_owner(owner), m_address(std::move(address)) {}

Admission::Ticket::Ticket(Ticket&& other) noexcept
    : m_owner(std::exchange(other.m_owner, nullptr)), m_address(std::move(other.m_address)) {}

Admission::Ticket::~Ticket() {
    if (m_owner) {
        m_owner->release(m_address);
    }
}

} // namespace tokend::http::front_door
