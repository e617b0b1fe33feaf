// The embedded default: one SQLite file in WAL mode, readers that never wait for the writer's
// fsync, and schema versions in PRAGMA user_version.
#pragma once

#include <filesystem>

#include "store/engine.hpp"

namespace tokend::store::sqlite {

class Engine final : public store::Engine {
public:
    explicit Engine(std::filesystem::path file) : m_file(std::move(file)) {}
    std::string_view name() const override { return "sqlite"; }
    std::unique_ptr<store::Connection> open_writer() override;
    std::unique_ptr<store::Connection> open_reader() override;
    void migrate(store::Connection& writer) override;
    void begin(store::Connection& writer) override;
    void end_failed_commit(store::Connection& writer) noexcept override;

private:
    std::filesystem::path m_file;
};

inline std::unique_ptr<store::Engine> open(std::filesystem::path file) {
    return std::make_unique<Engine>(std::move(file));
}

} // namespace tokend::store::sqlite
