// SPDX-License-Identifier: MIT
#pragma once

namespace feedz {

// feedz-agent-https: reads the request from standard input, makes it, and prints the answer
// (https_helper.cpp describes both). Returns the exit code.
int https_helper_main(int argc);

} // namespace feedz
