// SPDX-License-Identifier: MIT
// feedz-agentd: the per-user agent, run by `feedz-agent serve` (and by clients, on demand).
#include <agent/server/serve.hpp>

int main(int argc, char** argv) {
    return feedz::serve_main(argc, argv);
}
