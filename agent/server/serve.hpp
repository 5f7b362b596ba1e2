// SPDX-License-Identifier: MIT
#pragma once

namespace feedz {

// The agent daemon's command line: `feedz-agentd [--foreground] [--on-demand]
// [--idle-timeout SECONDS]`, as `feedz-agent serve` passes it on. Returns the exit code.
int serve_main(int argc, char** argv);

} // namespace feedz
