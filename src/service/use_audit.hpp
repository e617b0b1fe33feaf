// The audit events of token use (SPEC §12): token.ip_denied and token.rate_limited, each at most
// once per token, address and hour, and token.used_from_new_address. Ordinary allowed uses write
// nothing: the allowed path costs one shard lock and a compare against at most kRemembered
// addresses. All memory here is per process: it resets on restart (SECURITY.md).
#pragma once

#include <array>
#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/clock.hpp"
#include "core/types.hpp"
#include "store/store.hpp"

namespace tokend::service {

class UseAudit {
public:
    UseAudit(store::Store& store, core::Clock clock);

    // A refusal of a live token by its usage policy; `event` is token.ip_denied or
    // token.rate_limited. Writes (its own small write) unless the same token, address and event
    // was recorded within the hour. Never throws: the refusal is answered either way.
    void denied(const core::AccessToken& token, const core::Origin& origin, const char* event);

    // An allowed use. The first use seen for a token in this process is seeded with the stored
    // last-used address; an address not among the last kRemembered is recorded as
    // token.used_from_new_address (a token with no address history yet records nothing).
    void used(const core::AccessToken& token, const core::Origin& origin);

    static constexpr std::size_t kRemembered = 4;
    static constexpr std::size_t kShards = 16;

private:
    struct Addresses {
        std::array<std::string, kRemembered> recent; // "" = empty slot
        std::size_t next = 0;
    };
    struct Shard {
        std::mutex mutex;
        std::unordered_map<std::string, Addresses> tokens;
    };
    void write(const core::AccessToken& token, const core::Origin& origin, const char* event,
               bool success, core::AuditDetails details);

    store::Store& m_store;
    core::Clock m_clock;
    std::array<Shard, kShards> m_shards;
    std::mutex m_denied_mutex;
    std::unordered_map<std::string, core::TimePoint> m_denied; // token|address|event → last
};

} // namespace tokend::service
