// SPDX-License-Identifier: MIT
#include "daemon.hpp"

#include <agent/util/system_error.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace feedz {

namespace {

constexpr char k_ready_byte = '\0';

void write_all(int fd, const std::string& text) {
    std::size_t offset = 0;
    while (offset < text.size()) {
        ssize_t n = ::write(fd, text.data() + offset, text.size() - offset);
        if (n <= 0) {
            if (n < 0 && errno == EINTR) {
                continue;
            }
            return;
        }
        offset += static_cast<std::size_t>(n);
    }
}

// The original process: relay the daemon's report and exit.
[[noreturn]] void wait_for_daemon(Fd read_end, pid_t child) {
    std::string report;
    char buffer[512];
    while (true) {
        ssize_t n = ::read(read_end.get(), buffer, sizeof(buffer));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        report.append(buffer, static_cast<std::size_t>(n));
    }
    ::waitpid(child, nullptr, 0);
    if (!report.empty() && report.front() == k_ready_byte) {
        std::_Exit(0);
    }
    if (report.empty()) {
        report = "the agent exited during start-up without saying why";
    }
    std::fprintf(stderr, "feedz-agent: %s\n", report.c_str());
    std::_Exit(1);
}

} // namespace

void ReadyNotifier::ready() {
    if (m_fd) {
        write_all(m_fd.get(), std::string(1, k_ready_byte));
        m_fd.reset();
    }
}

void ReadyNotifier::failed(const std::string& message) {
    if (m_fd) {
        write_all(m_fd.get(), message);
        m_fd.reset();
    }
}

Result<ReadyNotifier> daemonize() {
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
        return make_error(Errc::io_error, "cannot create a pipe: " + errno_text(errno));
    }
    Fd read_end(pipe_fds[0]);
    Fd write_end(pipe_fds[1]);
    std::fflush(nullptr);
    pid_t child = ::fork();
    if (child < 0) {
        return make_error(Errc::io_error, "cannot fork: " + errno_text(errno));
    }
    if (child > 0) {
        write_end.reset();
        wait_for_daemon(std::move(read_end), child);
    }
    read_end.reset();
    ::setsid();
    // A second fork: the daemon is not a session leader, so it can never regain a terminal.
    pid_t daemon = ::fork();
    if (daemon < 0) {
        ReadyNotifier(std::move(write_end)).failed("cannot fork: " + errno_text(errno));
        std::_Exit(1);
    }
    if (daemon > 0) {
        std::_Exit(0);
    }
    if (::chdir("/") != 0) {
        // Not fatal: "/" always exists; keep going from wherever we are.
    }
    int null_fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null_fd >= 0) {
        ::dup2(null_fd, STDIN_FILENO);
        ::dup2(null_fd, STDOUT_FILENO);
        ::dup2(null_fd, STDERR_FILENO);
        if (null_fd > STDERR_FILENO) {
            ::close(null_fd);
        }
    }
    // Nothing inherited stays open in the daemon but the pipe to the process that waits for
    // it (a descriptor of whoever started us would otherwise be held for hours).
    int keep = write_end.get();
    if (keep > 3) {
        ::close_range(3, static_cast<unsigned>(keep) - 1, 0);
    }
    ::close_range(static_cast<unsigned>(keep) + 1, ~0U, 0);
    return ReadyNotifier(std::move(write_end));
}

void harden_process() {
    ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    rlimit no_core{0, 0};
    ::setrlimit(RLIMIT_CORE, &no_core);
}

Result<Fd> block_termination_signals() {
    ::signal(SIGPIPE, SIG_IGN);
    // An ignored signal is discarded before a signalfd could see it: undo a SIG_IGN inherited
    // from whoever started us (nohup, for one).
    ::signal(SIGTERM, SIG_DFL);
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGHUP, SIG_DFL);
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGHUP);
    if (::pthread_sigmask(SIG_BLOCK, &signals, nullptr) != 0) {
        return make_error(Errc::internal, "cannot block signals");
    }
    Fd fd(::signalfd(-1, &signals, SFD_CLOEXEC));
    if (!fd) {
        return make_error(Errc::io_error, "cannot create a signalfd: " + errno_text(errno));
    }
    return fd;
}

} // namespace feedz
