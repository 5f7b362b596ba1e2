// SPDX-License-Identifier: MIT
// feedz-sanitizer-canary leak|undefined: commits the finding named, and nothing else.
// run-sanitized.sh runs it with its stderr thrown away, as the agent's and the NuGet plugin's
// are, to prove that such a finding still fails the run. Built only with -DFEEDZ_SANITIZE=ON.
#include <climits>
#include <cstring>

namespace {

char* volatile g_block;

// Out of line, so that no register or live stack slot of main still points at the block when
// LeakSanitizer looks at exit.
[[gnu::noinline]] void lose_memory() {
    g_block = new char[64];
    g_block = nullptr;
}

[[gnu::noinline]] int add(int a, int b) {
    return a + b;
}

} // namespace

int main(int argc, char** argv) {
    if (argc == 2 && std::strcmp(argv[1], "leak") == 0) {
        lose_memory();
        return 0;
    }
    if (argc == 2 && std::strcmp(argv[1], "undefined") == 0) {
        volatile int largest = INT_MAX;
        return add(largest, 1) == 0 ? 1 : 0; // signed overflow
    }
    return 2;
}
