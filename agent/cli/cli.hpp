// SPDX-License-Identifier: MIT
#pragma once

namespace feedz::cli {

struct Context;

// Runs the feedz-agent command line; returns the process exit code. Every error is caught
// here and printed once.
int run(int argc, char** argv);

// The same with what the commands reach outside themselves given: the unit tests' entry.
int run(const Context& context, int argc, char** argv);

} // namespace feedz::cli
