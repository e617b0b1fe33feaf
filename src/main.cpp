// tokend's entry point: everything else lives in linkable rooms (see ARCHITECTURE.md).
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
    ::umask(077); // tokend.db, its WAL and secret.key are readable by the owner only
    int code = tokend::cli::run(std::vector<std::string>(argv + 1, argv + argc));
    spdlog::shutdown(); // writes the log lines still buffered (cli/log_sink.hpp)
    return code;
}
