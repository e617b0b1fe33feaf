// Bearer authentication and the failed-attempt limiter.
#include "service/authenticator.hpp"

#include "core/error.hpp"
#include "core/token_format.hpp"
#include "store/tokens.hpp"

namespace tokend::service {

namespace {
constexpr std::size_t kMaxTrackedAddresses = 10'000;

bool starts_with_bearer(std::string_view header) {
    constexpr std::string_view kScheme = "bearer ";
    if (header.size() < kScheme.size()) {
        return false;
    }
    for (std::size_t i = 0; i < kScheme.size(); ++i) {
        char c = header[i];
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
        if (c != kScheme[i]) {
            return false;
        }
    }
    return true;
}

std::string_view trim(std::string_view text) {
    auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) {
        return {};
    }
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}
} // namespace

Authenticator::Authenticator(store::Store& store, const crypto::TokenHasher& hasher,
                             UsageRecorder& usage, FailedAuthLimits limits)
    : m_store(store), m_hasher(hasher), m_usage(usage), m_limits(limits) {}

core::Caller Authenticator::authenticate(std::string_view authorization,
                                         const std::string& client_address) {
    if (trim(authorization).empty()) {
        core::fail(core::ErrorCode::Unauthenticated,
                   "Missing access token: send the header Authorization: Bearer <token>.");
    }
    if (!starts_with_bearer(authorization)) {
        core::fail(core::ErrorCode::Unauthenticated,
                   "The Authorization header must use the Bearer scheme: Bearer <token>.");
    }
    std::string_view token = trim(authorization.substr(7));
    if (!core::is_well_formed_token(token)) {
        reject(client_address, "The access token is malformed or its checksum is wrong.");
    }
    auto digest = m_hasher.hash(token);
    auto found =
        m_store.read([&digest](store::Connection& c) { return store::tokens::by_hash(c, digest); });
    if (!found) {
        reject(client_address, "The access token is not valid.");
    }
    if (found->revoked_at) {
        // Not a guess: someone once held this token. It does not count toward the limit.
        core::fail(core::ErrorCode::InvalidToken, "The access token has been revoked.");
    }
    m_usage.record(found->id);
    return core::Caller{found->account_id, found->id, std::move(found->scope)};
}

void Authenticator::reject(const std::string& client_address, const std::string& message) {
    auto now = core::TokenBucket::Clock::now();
    int retry_after = 0;
    {
        std::lock_guard lock(m_buckets_mutex);
        if (m_buckets.size() >= kMaxTrackedAddresses) {
            std::erase_if(m_buckets, [now](auto& entry) { return entry.second.is_full(now); });
        }
        auto [it, inserted] =
            m_buckets.try_emplace(client_address, m_limits.burst, m_limits.refill_per_second, now);
        if (!it->second.take(now)) {
            retry_after = it->second.seconds_until_available(now);
        }
    }
    if (retry_after > 0) {
        throw core::Error(core::ErrorCode::RateLimited,
                          "Too many failed authentication attempts from this address; retry later.",
                          retry_after);
    }
    core::fail(core::ErrorCode::InvalidToken, message);
}

} // namespace tokend::service
