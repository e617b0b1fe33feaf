// Whole-database figures for the metrics scrape (one query each, on a reader connection).
#pragma once

#include <cstdint>

#include "store/store.hpp"

namespace tokend::store::stats {

std::int64_t live_tokens(Store& store); // tokens not revoked, over all accounts

} // namespace tokend::store::stats
