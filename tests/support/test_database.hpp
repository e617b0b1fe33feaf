// Which engine a test runs on. By default SQLite in the test's temp dir. When ctest sets
// TOKEND_TEST_POSTGRES (the URL of the throwaway cluster scripts/pg-test-cluster.sh started),
// every test gets a fresh PostgreSQL schema of its own, dropped when it ends, and a shared
// secret key file; both are also exported as TOKEND_DATABASE and TOKEND_SECRET_KEY_FILE, so a
// tokend process a test starts uses them too. The same tests, one parameter (tests/CMakeLists.txt).
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "app.hpp"
#include "store/engine.hpp"

namespace tokend::test {

bool on_postgres();
// The current test's schema as a database URL; empty on SQLite.
const std::string& database_url();
// The key file every tokend of the test binary shares; empty on SQLite.
const std::filesystem::path& secret_key_file();
// A store engine for a test: SQLite in dir/tokend.db, or the current test's schema.
std::unique_ptr<store::Engine> test_engine(const std::filesystem::path& dir);
// Writes every row of the current test's PostgreSQL schema, as text, to `file` (with psql), so a
// test can scan what was stored as it scans SQLite's files. PostgreSQL only.
void dump_rows(const std::filesystem::path& file);
// `config` pointed at the current test's database (unchanged on SQLite).
AppConfig on_test_database(AppConfig config);

} // namespace tokend::test
