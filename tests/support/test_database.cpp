// A PostgreSQL schema per test when TOKEND_TEST_POSTGRES is set (a gtest listener makes and
// drops it around each test).
#include "support/test_database.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <stdexcept>

#include "store/postgres/connection.hpp"
#include "store/postgres/engine.hpp"
#include "store/sqlite/engine.hpp"

namespace tokend::test {

namespace {
struct State {
    std::string base_url; // the cluster's, from TOKEND_TEST_POSTGRES
    std::string schema;   // the current test's
    std::string url;      // base_url with search_path set to the schema
    std::filesystem::path key_file;
};

State& state() {
    static State s;
    return s;
}

void run_sql(const std::string& url, const std::string& sql) {
    store::postgres::Connection(url).exec(sql);
}

class SchemaPerTest : public testing::EmptyTestEventListener {
    void OnTestStart(const testing::TestInfo&) override {
        auto& s = state();
        std::random_device random;
        s.schema = "t" + std::to_string(::getpid()) + "_" + std::to_string(random() % 1'000'000);
        run_sql(s.base_url, "CREATE SCHEMA " + s.schema);
        s.url = s.base_url + (s.base_url.find('?') == std::string::npos ? "?" : "&") +
                "options=-c%20search_path%3D" + s.schema;
    }
    void OnTestEnd(const testing::TestInfo&) override {
        auto& s = state();
        run_sql(s.base_url, "DROP SCHEMA " + s.schema + " CASCADE");
        s.url.clear();
    }
};

// Registered before main: gtest_main's RUN_ALL_TESTS then calls the listener around each test.
const bool registered = [] {
    const char* base = std::getenv("TOKEND_TEST_POSTGRES");
    if (!base || !*base) {
        return false;
    }
    auto& s = state();
    s.base_url = base;
    // One key for every process of this test binary, as all nodes of one deployment share one.
    s.key_file =
        std::filesystem::temp_directory_path() / ("tokend-test-key-" + std::to_string(::getpid()));
    {
        std::ofstream out(s.key_file, std::ios::binary | std::ios::trunc);
        std::random_device random;
        for (int i = 0; i < 32; ++i) {
            out.put(static_cast<char>(random() & 0xff));
        }
    }
    std::filesystem::permissions(s.key_file, std::filesystem::perms::owner_read |
                                                 std::filesystem::perms::owner_write);
    std::atexit([] { std::filesystem::remove(state().key_file); });
    testing::UnitTest::GetInstance()->listeners().Append(new SchemaPerTest);
    return true;
}();
} // namespace

bool on_postgres() {
    return registered;
}

const std::string& database_url() {
    return state().url;
}

const std::filesystem::path& secret_key_file() {
    return state().key_file;
}

std::unique_ptr<store::Engine> test_engine(const std::filesystem::path& dir) {
    if (on_postgres()) {
        return std::make_unique<store::postgres::Engine>(database_url());
    }
    return store::sqlite::open(dir / "tokend.db");
}

void dump_rows(const std::filesystem::path& file) {
    std::string sql;
    for (const char* table :
         {"accounts", "websites", "memberships", "access_tokens", "sessions", "audit_events"}) {
        sql += std::string("SELECT t::text FROM ") + table + " t; ";
    }
    std::string command = "psql -X -At -v ON_ERROR_STOP=1 '" + database_url() + "' -c '" + sql +
                          "' > '" + file.string() + "'";
    if (std::system(command.c_str()) != 0) {
        throw std::runtime_error("test database: psql could not dump the rows");
    }
}

AppConfig on_test_database(AppConfig config) {
    if (on_postgres()) {
        config.database = database_url();
        config.secret_key_file = secret_key_file();
    }
    return config;
}

} // namespace tokend::test
