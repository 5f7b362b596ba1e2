// SPDX-License-Identifier: MIT
// `feedz-agent exec`'s options and the decisions they make, apart from the running: which
// feeds, which level (--access overrides what the command line tells), and the variable a
// token goes into (--env).
#pragma once

#include <agent/core/feed.hpp>
#include <agent/core/token.hpp>
#include <agent/ipc/client.hpp>
#include <agent/npm/npm_command.hpp>
#include <agent/util/arguments.hpp>
#include <agent/util/result.hpp>
#include <agent/util/secret_string.hpp>

#include <optional>
#include <string>
#include <vector>

namespace feedz::cli {

struct ExecOptions {
    std::vector<Feed> feeds;        // --feed, each once, in order
    std::optional<Access> access;   // --access: read, read_write or full
    std::optional<std::string> env; // --env NAME: FEED's token goes into NAME
    bool nuget_env = false;         // --nuget-env
};

// Reads and checks exec's options: a feed that does not parse, a level that is not read,
// read-write or full, and a NAME that is not a variable a token may go into are usage errors;
// so is --env without exactly one --feed and an --access.
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

// "NAME=TOKEN" for the child's environment: the token of `access` for `feed` (the least
// privileged one that has it). Fails, saying what to store, when no stored token does.
Result<SecretString>
feed_token_variable(Agent& agent, const Feed& feed, Access access, const std::string& name);

} // namespace feedz::cli
