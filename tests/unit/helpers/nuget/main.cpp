// SPDX-License-Identifier: MIT
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <csignal>

int main(int argc, char** argv) {
    // The session tests close the pipe the plugin writes to; the write must fail with EPIPE, as
    // it does in the plugin (main.cpp ignores SIGPIPE too).
    std::signal(SIGPIPE, SIG_IGN);
    return Catch::Session().run(argc, argv);
}
