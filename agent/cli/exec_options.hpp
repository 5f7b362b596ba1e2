// SPDX-License-Identifier: MIT
// `feedz-agent exec`'s options and the decisions they make, apart from the running: which
// feeds, and which level (--access overrides what the command line tells).
#pragma once

#include <agent/core/feed.hpp>
#include <agent/core/token.hpp>
#include <agent/npm/npm_command.hpp>
#include <agent/util/arguments.hpp>
#include <agent/util/result.hpp>

#include <optional>
#include <string>
#include <vector>

namespace feedz::cli {

struct ExecOptions {
    std::vector<Feed> feeds;      // --feed, each once, in order
    std::optional<Access> access; // --access: read, read_write or full
    bool nuget_env = false;       // --nuget-env
};

// Reads and checks exec's options: a feed that does not parse and a level that is not read,
// read-write or full are usage errors.
Result<ExecOptions> read_exec_options(const Arguments& arguments);

// What --access asks of the registries: read, write or manage.
Operation operation_for(Access access);

// The plan with the level --access chose in place of the one read from the command line;
// the plan unchanged without --access.
NpmCommandPlan with_chosen_access(NpmCommandPlan plan, const std::optional<Access>& access);

// The one-line warning for a command whose use of the feeds exec could not read from its
// command line and for which no level was chosen, saying which levels it was given
// (`given`: the tokens' levels) and how to choose; nullopt when none is due.
std::optional<std::string> unclassified_command_warning(const std::vector<std::string>& command,
                                                        const NpmCommandPlan& plan,
                                                        const std::vector<Access>& given);

} // namespace feedz::cli
