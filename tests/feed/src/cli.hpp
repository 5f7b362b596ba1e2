// SPDX-License-Identifier: MIT
#pragma once

namespace feed {

// Parses the subcommand and runs it; returns the process exit code (0 ok, 1 failure, 2 usage).
int run_cli(int argc, char** argv);

} // namespace feed
