// SPDX-License-Identifier: MIT
#include "arguments.hpp"

#include <agent/util/secret_string.hpp>

#include <algorithm>

namespace feedz {

bool Arguments::has(std::string_view name) const {
    return m_options.find(name) != m_options.end();
}

std::optional<std::string> Arguments::value(std::string_view name) const {
    auto [begin, end] = m_options.equal_range(name);
    if (begin == end) {
        return std::nullopt;
    }
    return std::prev(end)->second.first;
}

std::vector<std::string> Arguments::values(std::string_view name) const {
    std::vector<std::string> result;
    auto [begin, end] = m_options.equal_range(name);
    for (auto it = begin; it != end; ++it) {
        result.push_back(it->second.first);
    }
    return result;
}

std::optional<int> Arguments::argv_index(std::string_view name) const {
    auto it = m_options.find(name);
    if (it == m_options.end() || it->second.second < 0) {
        return std::nullopt;
    }
    return it->second.second;
}

SecretString Arguments::take_secret(std::string_view name) {
    auto [begin, end] = m_options.equal_range(name);
    SecretString secret;
    if (begin != end) {
        secret = SecretString(std::prev(end)->second.first);
    }
    wipe(name);
    return secret;
}

void Arguments::wipe(std::string_view name) {
    auto [begin, end] = m_options.equal_range(name);
    for (auto it = begin; it != end; ++it) {
        wipe_memory(it->second.first.data(), it->second.first.size());
        it->second.first.clear();
    }
}

std::string quote_argument(std::string_view argument) {
    // A mistyped option may carry a token; show long arguments the way tokens are shown.
    if (argument.size() >= 16) {
        return "'" + std::string(argument.substr(0, 7)) + "…'";
    }
    return "'" + std::string(argument) + "'";
}

Result<Arguments> parse_arguments(int argc,
                                  char** argv,
                                  int first,
                                  std::string_view command,
                                  const std::vector<OptionSpec>& specs) {
    Arguments arguments;
    std::string help_hint = "; see `feedz-agent " + std::string(command) + " --help`";
    bool only_positional = false;
    for (int i = first; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (only_positional || !arg.starts_with("--") || arg == "-") {
            if (!only_positional && arg.size() > 1 && arg.front() == '-' && arg != "-") {
                return make_error(Errc::invalid_argument,
                                  "unknown option " + quote_argument(arg) + " for '"
                                      + std::string(command) + "'" + help_hint);
            }
            arguments.m_positional.emplace_back(arg);
            continue;
        }
        if (arg == "--") {
            only_positional = true;
            continue;
        }
        std::string_view name = arg.substr(2);
        std::optional<std::string_view> inline_value;
        if (auto equals = name.find('='); equals != std::string_view::npos) {
            inline_value = name.substr(equals + 1);
            name = name.substr(0, equals);
        }
        if (name == "help" && !inline_value) {
            arguments.m_options.emplace("help", std::make_pair(std::string(), -1));
            continue;
        }
        auto spec = std::find_if(specs.begin(), specs.end(), [&](const OptionSpec& candidate) {
            return candidate.name == name;
        });
        if (spec == specs.end()) {
            return make_error(Errc::invalid_argument,
                              "unknown option " + quote_argument("--" + std::string(name))
                                  + " for '" + std::string(command) + "'" + help_hint);
        }
        if (!spec->repeatable && arguments.has(name)) {
            return make_error(Errc::invalid_argument,
                              "option '--" + std::string(name) + "' given twice" + help_hint);
        }
        if (!spec->takes_value) {
            if (inline_value) {
                return make_error(Errc::invalid_argument,
                                  "option '--" + std::string(name) + "' takes no value"
                                      + help_hint);
            }
            arguments.m_options.emplace(std::string(name), std::make_pair(std::string(), -1));
            continue;
        }
        if (inline_value) {
            arguments.m_options.emplace(std::string(name),
                                        std::make_pair(std::string(*inline_value), i));
            continue;
        }
        if (i + 1 >= argc) {
            return make_error(Errc::invalid_argument,
                              "option '--" + std::string(name) + "' needs a value" + help_hint);
        }
        ++i;
        arguments.m_options.emplace(std::string(name), std::make_pair(std::string(argv[i]), i));
    }
    return arguments;
}

} // namespace feedz
