// SPDX-License-Identifier: MIT
#pragma once

#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace feed {

// A command-line mistake: exit code 2 and the message.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The arguments after the subcommand: options ("--name VALUE", "--name=VALUE", flags) taken by
// name, then positionals. Anything left over is a usage error.
class Arguments {
public:
    explicit Arguments(std::vector<std::string> args);

    // Fails on any "--option" not in `known`, so a typo is reported as such and not as a
    // missing option. Call it first.
    void accept_only(std::initializer_list<std::string_view> known) const;

    std::optional<std::string> option(const std::string& name);
    std::string required_option(const std::string& name);
    bool flag(const std::string& name);

    // The remaining arguments, which must be exactly `count` positionals.
    std::vector<std::string> positionals(std::size_t count, const std::string& usage);
    // At least `minimum` positionals.
    std::vector<std::string> positionals_at_least(std::size_t minimum, const std::string& usage);

private:
    std::vector<std::string> m_args;
};

} // namespace feed
