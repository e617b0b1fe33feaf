// The tokend command line (SPEC §1): parses words, runs one command, returns the exit code
// (0 success, 2 usage error, 1 other failure).
#pragma once

#include <string>
#include <vector>

namespace tokend::cli {

int run(const std::vector<std::string>& words);

} // namespace tokend::cli
