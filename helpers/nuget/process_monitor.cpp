// SPDX-License-Identifier: MIT
#include "process_monitor.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace feedz::nuget {

ProcessMonitor::ProcessMonitor(pid_t pid)
    : m_pid(pid) {
    if (pid <= 0) {
        m_gone = true; // not a process NuGet could be
        return;
    }
#ifdef SYS_pidfd_open
    long fd = ::syscall(SYS_pidfd_open, pid, 0);
    if (fd >= 0) {
        m_pidfd.reset(static_cast<int>(fd));
    } else if (errno == ESRCH) {
        m_gone = true;
    }
#endif
}

bool ProcessMonitor::exited() const {
    if (m_gone) {
        return true;
    }
    if (m_pidfd) {
        pollfd descriptor{m_pidfd.get(), POLLIN, 0};
        return ::poll(&descriptor, 1, 0) > 0;
    }
    return ::kill(m_pid, 0) != 0 && errno == ESRCH;
}

} // namespace feedz::nuget
