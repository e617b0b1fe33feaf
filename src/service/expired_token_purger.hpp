// The background job that deletes tokens expired longer than --expired-token-retention
// (SPEC §11.2): once at start and then every interval, by the injected clock's idea of now.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "service/audit_log.hpp"
#include "service/token_service.hpp"

namespace tokend::service {

class ExpiredTokenPurger {
public:
    // `audit`, when given, also has its events older than --audit-retention purged each round.
    ExpiredTokenPurger(TokenService& tokens, std::chrono::milliseconds interval,
                       AuditLog* audit = nullptr);
    ~ExpiredTokenPurger(); // stops the thread
    ExpiredTokenPurger(const ExpiredTokenPurger&) = delete;
    ExpiredTokenPurger& operator=(const ExpiredTokenPurger&) = delete;

private:
    void run();

    TokenService& m_tokens;
    AuditLog* m_audit;
    std::chrono::milliseconds m_interval;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace tokend::service
