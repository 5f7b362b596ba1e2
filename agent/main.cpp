// SPDX-License-Identifier: MIT
#include <agent/cli/cli.hpp>

int main(int argc, char** argv) {
    return feedz::cli::run(argc, argv);
}
