// Command-line flags: `--flag value` or `--flag=value`; every flag also read from TOKEND_FLAG
// (upper-cased, '-' → '_'). A flag beats the variable, the variable beats the default.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace tokend::cli {

// A usage error: exit code 2 with a one-line reason.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct FlagSpec {
    std::string name; // without "--"
    bool takes_value = true;
};

class Options {
public:
    // `args` are the words after the command; unknown flags and stray words are usage errors.
    Options(const std::vector<std::string>& args, const std::vector<FlagSpec>& specs);

    std::optional<std::string> get(const std::string& name) const;
    std::string require(const std::string& name) const;
    std::string get_or(const std::string& name, const std::string& fallback) const;
    int get_int(const std::string& name, int fallback, int min, int max) const;
    bool flag(const std::string& name) const;

    static std::string env_name(const std::string& flag);

private:
    std::map<std::string, std::string> m_values;
};

} // namespace tokend::cli
