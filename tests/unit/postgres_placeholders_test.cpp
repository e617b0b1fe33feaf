// The :name → $n rewriting of the PostgreSQL engine (store/postgres/placeholders.cpp).
#include <gtest/gtest.h>

#include <algorithm>

#include "sql_embedded.hpp"
#include "store/postgres/placeholders.hpp"

using tokend::store::postgres::number_placeholders;

TEST(PostgresPlaceholders, NumbersNamesInOrderOfFirstUseAndReusesARepeatedOne) {
    auto n =
        number_placeholders("SELECT a FROM t WHERE x = :x AND (:y < 0 OR :y = b) LIMIT :limit");
    EXPECT_EQ(n.sql, "SELECT a FROM t WHERE x = $1 AND ($2 < 0 OR $2 = b) LIMIT $3");
    EXPECT_EQ(n.names, (std::vector<std::string>{":x", ":y", ":limit"}));
}

TEST(PostgresPlaceholders, LeavesCastsQuotedTextAndCommentsAlone) {
    auto n = number_placeholders(
        "-- a :comment here\nSELECT ':not_a_param', \"col:umn\", :limit::bigint, x::text "
        "FROM t WHERE y = 'it''s :still text' AND z = :z");
    EXPECT_EQ(n.sql, "-- a :comment here\nSELECT ':not_a_param', \"col:umn\", $1::bigint, x::text "
                     "FROM t WHERE y = 'it''s :still text' AND z = $2");
    EXPECT_EQ(n.names, (std::vector<std::string>{":limit", ":z"}));
}

TEST(PostgresPlaceholders, EveryQueryTakesTheSameParametersOnBothEngines) {
    // The repositories bind by name once for both engines: a name one engine lacks would throw.
    for (std::size_t i = 0; i < tokend::sql::kQueryCount; ++i) {
        auto postgres = number_placeholders(tokend::sql::postgres::kQueries[i]).names;
        auto sqlite = number_placeholders(tokend::sql::sqlite::kQueries[i]).names;
        std::sort(postgres.begin(), postgres.end());
        std::sort(sqlite.begin(), sqlite.end());
        EXPECT_EQ(postgres, sqlite) << tokend::sql::postgres::kQueries[i];
        EXPECT_EQ(tokend::sql::postgres::kQueries[i].find('$'), std::string_view::npos)
            << "write :name, never $n: " << tokend::sql::postgres::kQueries[i];
    }
}
