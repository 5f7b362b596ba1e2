// SPDX-License-Identifier: MIT
#pragma once

#include <agent/util/fd.hpp>

#include <sys/types.h>

namespace feedz::nuget {

// Watches the NuGet process named by MonitorNuGetProcessExit: the plugin exits when it is gone
// (NuGet may die without closing our stdin, e.g. when a child of it holds the pipe). Uses a
// pidfd, which poll(2) reports readable when the process exits; where pidfd_open is missing
// (kernels before 5.3), exited() probes with kill(pid, 0).
class ProcessMonitor {
public:
    explicit ProcessMonitor(pid_t pid);

    // The pidfd to poll for POLLIN, or -1 when exited() must be polled instead.
    int fd() const { return m_pidfd.get(); }

    // True once the process is gone.
    bool exited() const;

private:
    pid_t m_pid;
    Fd m_pidfd;
    bool m_gone = false; // gone before it could be watched
};

} // namespace feedz::nuget
