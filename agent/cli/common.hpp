// SPDX-License-Identifier: MIT
#pragma once

#include <agent/ipc/client.hpp>
#include <agent/util/arguments.hpp>
#include <agent/util/report.hpp>
#include <agent/util/result.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace feedz::cli {

// One command of the command line.
struct Command {
    std::string_view name;
    std::string_view summary;
    std::string_view help; // usage line(s) and options, shown by `COMMAND --help`
    std::vector<OptionSpec> options;
    int (*run)(Arguments& arguments, char** argv);
};

// Connects to the agent, starting one if none runs.
Result<AgentClient> connect_agent();

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
