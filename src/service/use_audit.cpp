// Use-time audit events with their in-memory dedupe and address memory.
#include "service/use_audit.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <functional>

#include "service/audit.hpp"

namespace tokend::service {

namespace {
constexpr auto kDedupeWindow = std::chrono::hours(1);
constexpr std::size_t kMaxDenialKeys = 100000; // beyond this, expired keys are dropped
} // namespace

UseAudit::UseAudit(store::Store& store, core::Clock clock)
    : m_store(store), m_clock(std::move(clock)) {}

void UseAudit::write(const core::AccessToken& token, const core::Origin& origin, const char* event,
                     bool success, core::AuditDetails details) {
    try {
        auto e = audit::make(event, {core::ActorType::Token, token.id, token.account_id}, origin,
                             token.account_id, core::format_timestamp(m_clock()));
        audit::about_token(e, token);
        e.success = success;
        e.details = std::move(details);
        m_store.write([&e](store::Connection& c) { audit::record(c, e); });
    } catch (const std::exception& error) {
        spdlog::warn("could not write audit event {} for token {}: {}", event, token.id,
                     error.what());
    }
}

void UseAudit::denied(const core::AccessToken& token, const core::Origin& origin,
                      const char* event) {
    const std::string& address = origin.ip;
    auto now = m_clock();
    std::string key = token.id + "|" + address + "|" + event;
    {
        std::lock_guard lock(m_denied_mutex);
        auto found = m_denied.find(key);
        if (found != m_denied.end() && now - found->second < kDedupeWindow) {
            return;
        }
        if (m_denied.size() >= kMaxDenialKeys) {
            std::erase_if(m_denied,
                          [now](const auto& entry) { return now - entry.second >= kDedupeWindow; });
            if (m_denied.size() >= kMaxDenialKeys) {
                m_denied.clear(); // all fresh: forget them (at worst an event repeats) over growing
            }
        }
        m_denied[key] = now;
    }
    write(token, origin, event, false, {});
}

void UseAudit::used(const core::AccessToken& token, const core::Origin& origin) {
    const std::string& address = origin.ip;
    Shard& shard = m_shards[std::hash<std::string>{}(token.id) % kShards];
    std::string previous;
    {
        std::lock_guard lock(shard.mutex);
        auto [it, inserted] = shard.tokens.try_emplace(token.id);
        Addresses& memory = it->second;
        if (inserted && token.last_used_ip) {
            memory.recent[0] = *token.last_used_ip;
            memory.next = 1;
        }
        if (std::find(memory.recent.begin(), memory.recent.end(), address) != memory.recent.end()) {
            return;
        }
        bool first_ever = std::all_of(memory.recent.begin(), memory.recent.end(),
                                      [](const std::string& a) { return a.empty(); });
        previous = memory.recent[(memory.next + kRemembered - 1) % kRemembered];
        memory.recent[memory.next] = address;
        memory.next = (memory.next + 1) % kRemembered;
        if (first_ever) {
            return;
        }
    }
    write(token, origin, "token.used_from_new_address", true, {{"previousIp", previous}});
}

} // namespace tokend::service
