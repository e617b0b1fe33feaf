// Expired-token purge loop.
#include "service/expired_token_purger.hpp"

#include <spdlog/spdlog.h>

namespace tokend::service {

ExpiredTokenPurger::ExpiredTokenPurger(TokenService& tokens, std::chrono::milliseconds interval,
                                       AuditLog* audit)
    : m_tokens(tokens), m_audit(audit), m_interval(interval), m_thread([this] { run(); }) {}

ExpiredTokenPurger::~ExpiredTokenPurger() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

void ExpiredTokenPurger::run() {
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        lock.unlock();
        try {
            if (int purged = m_tokens.purge_expired(); purged > 0) {
                spdlog::info("purged {} expired access token(s)", purged);
            }
        } catch (const std::exception& error) {
            // The next round tries again; a failed purge must not stop the server.
            spdlog::warn("could not purge expired tokens: {}", error.what());
        }
        try {
            if (int purged = m_audit ? m_audit->purge() : 0; purged > 0) {
                spdlog::info("purged {} audit event(s) past the audit retention", purged);
            }
        } catch (const std::exception& error) {
            spdlog::warn("could not purge old audit events: {}", error.what());
        }
        lock.lock();
        m_wake.wait_for(lock, m_interval, [this] { return m_stopping; });
    }
}

} // namespace tokend::service
