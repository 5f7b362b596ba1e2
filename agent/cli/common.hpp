// SPDX-License-Identifier: MIT
#pragma once

#include <agent/core/environment.hpp>
#include <agent/ipc/agent.hpp>
#include <agent/net/feed_probe.hpp>
#include <agent/util/arguments.hpp>
#include <agent/util/report.hpp>
#include <agent/util/result.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace feedz::cli {

// What the commands reach outside themselves: cli::run() gives them the process's own, their
// unit tests fakes (tests/unit/support/).
struct Context {
    const Environment& environment;
    // Connects to the agent, starting one if none runs.
    std::function<Result<std::unique_ptr<Agent>>()> connect_agent;
    // Connects to the agent that runs; Errc::agent_unavailable when none does.
    std::function<Result<std::unique_ptr<Agent>>()> connect_running_agent;
    // Asks a feed what it makes of a token (login's check, doctor's).
    FeedProbe probe;
};

// The process's environment and the agent at agent_socket_path().
const Context& process_context();

// One command of the command line.
struct Command {
    std::string_view name;
    std::string_view summary;
    std::string_view help; // usage line(s) and options, shown by `COMMAND --help`
    std::vector<OptionSpec> options;
    // The exit code when the command ran to its end (exec's is its child's), or the error
    // that stopped it, which cli.cpp reports.
    Result<int> (*run)(const Context& context, Arguments& arguments, char** argv);
};

// The command tables of each file, assembled by cli.cpp.
const Command& login_command();
const Command& logout_command();
const Command& list_command();
const Command& enable_command();
const Command& disable_command();
const Command& serve_command();
const Command& stop_command();
const Command& doctor_command();
const Command& exec_command();
const Command& token_helper_command();

} // namespace feedz::cli
