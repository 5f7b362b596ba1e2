// SPDX-License-Identifier: MIT
#pragma once

#include <agent/util/fd.hpp>
#include <agent/util/result.hpp>

#include <string>

namespace feedz {

// The daemon's half of the start-up handshake: the process that started `serve` waits until
// the daemon reports ready() or failed(), so the caller learns whether the agent really runs.
class ReadyNotifier {
public:
    ReadyNotifier() = default;

    explicit ReadyNotifier(Fd fd)
        : m_fd(std::move(fd)) {}

    void ready();

    void failed(const std::string& message);

private:
    Fd m_fd;
};

// Detaches from the terminal and session (fork, setsid, fork; stdio to /dev/null; cwd /).
// Returns in the daemon only; the original process waits for the daemon's report, prints a
// failure to stderr and exits 0 or 1. Call it before any thread exists.
Result<ReadyNotifier> daemonize();

// Keeps tokens out of core dumps and away from ptrace by other processes of the same user:
// PR_SET_DUMPABLE 0 and RLIMIT_CORE 0 (as ssh-agent does).
void harden_process();

// Blocks the termination signals in this thread and every thread it creates, and returns a
// signalfd that reports them. SIGPIPE is ignored.
Result<Fd> block_termination_signals();

} // namespace feedz
