// SPDX-License-Identifier: MIT
#pragma once

#include <agent/util/result.hpp>
#include <agent/util/secret_string.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace feedz {

// An option a command accepts: "--name VALUE" (takes_value) or a "--flag".
struct OptionSpec {
    std::string_view name; // without the leading "--"
    bool takes_value = false;
    bool repeatable = false;
};

// The parsed command line of one command.
class Arguments {
public:
    bool has(std::string_view name) const;

    // The value of an option that takes one (the last, for repeated ones).
    std::optional<std::string> value(std::string_view name) const;

    // Every value of a repeatable option, in order.
    std::vector<std::string> values(std::string_view name) const;

    const std::vector<std::string>& positional() const { return m_positional; }

    // Index in argv of the value of `name`, so that a secret given on the command line can be
    // wiped from the process's memory after it was read.
    std::optional<int> argv_index(std::string_view name) const;

    // Overwrites the stored values of `name` (a secret) once they have been read.
    void wipe(std::string_view name);

    // The value of `name` as a secret, without an intermediate copy; the stored value is
    // wiped.
    SecretString take_secret(std::string_view name);

private:
    friend Result<Arguments>
    parse_arguments(int, char**, int, std::string_view, const std::vector<OptionSpec>&);

    std::multimap<std::string, std::pair<std::string, int>, std::less<>> m_options;
    std::vector<std::string> m_positional;
};

// `argument` quoted for a message; long ones (possibly a token) only by their first 7
// characters, the way tokens are shown.
std::string quote_argument(std::string_view argument);

// Parses argv[first..argc) for `command` against `specs`: "--opt value", "--opt=value",
// flags, positional arguments, and "--" after which everything is positional. "--help" is
// always accepted. An unknown option or a missing value is a usage error (Errc::invalid_argument).
Result<Arguments> parse_arguments(int argc,
                                  char** argv,
                                  int first,
                                  std::string_view command,
                                  const std::vector<OptionSpec>& specs);

} // namespace feedz
