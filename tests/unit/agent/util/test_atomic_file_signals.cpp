// SPDX-License-Identifier: MIT
#include "scratch_directory.hpp"
#include <agent/util/file.hpp>

#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

// In a child: open an AtomicFile, write, send ourselves `signal_number`, then `commit` or not.
// Returns how the child ended.
static int run_child(const std::string& path, int signal_number, bool commit) {
    pid_t pid = ::fork();
    if (pid == 0) {
        // The default actions, not the handlers the test framework installs.
        for (int each : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) {
            ::signal(each, SIG_DFL);
        }
        {
            auto file = feedz::AtomicFile::open(path, 0600);
            if (!file || !file->write("//f.feedz.io/o/r/npm/:_auth=c2VjcmV0\n")) {
                ::_exit(3);
            }
            ::kill(::getpid(), signal_number); // held back while the temporary exists
            if (commit && !file->commit()) {
                ::_exit(4);
            }
        } // the AtomicFile lets go here: the signal is delivered
        ::_exit(0);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return status;
}

TEST_CASE("AtomicFile: a termination signal waits until the temporary is gone",
          "[util][file][signals]") {
    ScratchDirectory scratch;
    for (int signal_number : {SIGINT, SIGTERM, SIGHUP}) {
        INFO("signal " << signal_number);
        std::string path = scratch.path("npmrc-" + std::to_string(signal_number));
        int status = run_child(path, signal_number, false);
        REQUIRE(WIFSIGNALED(status));
        CHECK(WTERMSIG(status) == signal_number);
        // Uncommitted: neither the file nor a temporary (which held the secret) is left.
        CHECK(scratch.entries().empty());
    }
}

TEST_CASE("AtomicFile: a signal during a commit lets the commit finish first",
          "[util][file][signals]") {
    ScratchDirectory scratch;
    std::string path = scratch.path("npmrc");
    int status = run_child(path, SIGTERM, true);
    REQUIRE(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == SIGTERM);
    CHECK(scratch.entries() == std::vector<std::string>{"npmrc"});
}
