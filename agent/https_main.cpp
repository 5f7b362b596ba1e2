// SPDX-License-Identifier: MIT
// feedz-agent-https: the one HTTPS request feedz-agent makes, in a process of its own.
#include <agent/https/https_helper.hpp>

int main(int argc, char**) {
    return feedz::https_helper_main(argc);
}
