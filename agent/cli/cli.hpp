// SPDX-License-Identifier: MIT
#pragma once

namespace feedz::cli {

// Runs the feedz-agent command line; returns the process exit code. Every error is caught
// here and printed once.
int run(int argc, char** argv);

} // namespace feedz::cli
