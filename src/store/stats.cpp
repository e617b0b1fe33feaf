// Queries behind the scrape-time gauges.
#include "store/stats.hpp"

#include "sql_embedded.hpp"

namespace tokend::store::stats {

std::int64_t live_tokens(Store& store) {
    return store.read([](Connection& c) {
        auto q = c.query(sql::token_live_total);
        q->step();
        return q->integer(0);
    });
}

} // namespace tokend::store::stats
