// The few things the store asks of a database engine; everything else (group commit, the reader
// pool, the repositories) is written once above it. One implementation per folder:
// store/sqlite/ (the embedded default) and store/postgres/.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "store/connection.hpp"

namespace tokend::store {

class Engine {
public:
    virtual ~Engine() = default;
    virtual std::string_view name() const = 0; // "sqlite" or "postgres", for logs and metrics
    virtual std::unique_ptr<Connection> open_writer() = 0;
    virtual std::unique_ptr<Connection> open_reader() = 0;
    // How many reader connections may be open at once (the hot path waits for one beyond that).
    virtual std::size_t max_readers() const { return SIZE_MAX; }
    // Brings the schema up to this binary's migrations, once even when several processes start
    // together; throws if the database is newer than this binary.
    virtual void migrate(Connection& writer) = 0;
    // Starts the write transaction a batch of writes shares.
    virtual void begin(Connection& writer) = 0;
    // After a COMMIT that threw: ends whatever transaction is still open on `writer`.
    virtual void end_failed_commit(Connection& writer) noexcept = 0;
};

// For migrate(): throws if a database at schema `version` is newer than this binary's `latest`
// (an older tokend must not run on a schema it does not know).
void check_schema_version(int version, int latest);

} // namespace tokend::store
