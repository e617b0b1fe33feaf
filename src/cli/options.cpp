// Flag parsing with environment fallbacks.
#include "cli/options.hpp"

#include <algorithm>
#include <cstdlib>

namespace tokend::cli {

Options::Options(const std::vector<std::string>& args, const std::vector<FlagSpec>& specs) {
    std::map<std::string, std::string> from_args;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& word = args[i];
        if (!word.starts_with("--")) {
            throw UsageError("unexpected argument '" + word + "'");
        }
        std::string name = word.substr(2);
        std::optional<std::string> inline_value;
        if (auto eq = name.find('='); eq != std::string::npos) {
            inline_value = name.substr(eq + 1);
            name.resize(eq);
        }
        auto spec = std::find_if(specs.begin(), specs.end(),
                                 [&](const FlagSpec& s) { return s.name == name; });
        if (spec == specs.end()) {
            throw UsageError("unknown flag --" + name);
        }
        if (!spec->takes_value) {
            if (inline_value) {
                throw UsageError("--" + name + " takes no value");
            }
            from_args[name] = "1";
        } else if (inline_value) {
            from_args[name] = *inline_value;
        } else if (i + 1 < args.size()) {
            from_args[name] = args[++i];
        } else {
            throw UsageError("--" + name + " needs a value");
        }
    }
    for (const auto& spec : specs) {
        if (auto it = from_args.find(spec.name); it != from_args.end()) {
            m_values[spec.name] = it->second;
        } else if (const char* env = std::getenv(env_name(spec.name).c_str()); env && *env) {
            m_values[spec.name] = env;
        }
    }
}

std::string Options::env_name(const std::string& flag) {
    std::string name = "TOKEND_";
    for (char c : flag) {
        name.push_back(c == '-' ? '_'
                                : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
    return name;
}

std::optional<std::string> Options::get(const std::string& name) const {
    auto it = m_values.find(name);
    if (it == m_values.end()) {
        return std::nullopt;
    }
    return it->second;
}

std::string Options::require(const std::string& name) const {
    auto value = get(name);
    if (!value || value->empty()) {
        throw UsageError("--" + name + " is required");
    }
    return *value;
}

std::string Options::get_or(const std::string& name, const std::string& fallback) const {
    return get(name).value_or(fallback);
}

int Options::get_int(const std::string& name, int fallback, int min, int max) const {
    auto value = get(name);
    if (!value) {
        return fallback;
    }
    try {
        std::size_t used = 0;
        int parsed = std::stoi(*value, &used);
        if (used == value->size() && parsed >= min && parsed <= max) {
            return parsed;
        }
    } catch (const std::exception&) {
    }
    throw UsageError("--" + name + " must be a whole number from " + std::to_string(min) + " to " +
                     std::to_string(max));
}

bool Options::flag(const std::string& name) const {
    auto value = get(name);
    return value && (*value == "1" || *value == "true" || *value == "yes");
}

} // namespace tokend::cli
