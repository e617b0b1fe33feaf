// Connection caps: at most N open connections in all and M from one client address. A ticket
// holds one place until the connection closes.
#pragma once

#include <mutex>
#include <string>
#include <unordered_map>

namespace tokend::http::front_door {

class Admission {
public:
    Admission(int max_total, int max_per_address);

    class Ticket {
    public:
        Ticket() = default;
        Ticket(Admission* owner, std::string address);
        ~Ticket();
        Ticket(Ticket&& other) noexcept;
        Ticket& operator=(Ticket&&) = delete;
        Ticket(const Ticket&) = delete;
        explicit operator bool() const { return m_owner != nullptr; }

    private:
        Admission* m_owner = nullptr;
        std::string m_address;
    };

    // An empty ticket when either cap is reached.
    Ticket admit(const std::string& address);

private:
    void release(const std::string& address);

    int m_max_total;
    int m_max_per_address;
    std::mutex m_mutex;
    int m_total = 0;
    std::unordered_map<std::string, int> m_by_address;
};

} // namespace tokend::http::front_door
