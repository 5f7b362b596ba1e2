// SPDX-License-Identifier: MIT
// feedz-test-feed: a local HTTPS stand-in for Feedz, for tests. See tests/feed/README.md.
#include "cli.hpp"

int main(int argc, char** argv) {
    return feed::run_cli(argc, argv);
}
