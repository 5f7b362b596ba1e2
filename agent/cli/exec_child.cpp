// SPDX-License-Identifier: MIT
#include "exec_child.hpp"

#include <agent/util/system_error.hpp>

#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace feedz::cli {

namespace {

constexpr int k_forwarded_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM};

bool is_executable_file(const std::string& path) {
    struct stat st {};

    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)
           && ::access(path.c_str(), X_OK) == 0;
}

// Blocks `signals` for the lifetime of this object (the child gets the old mask back).
class BlockedSignals {
public:
    explicit BlockedSignals(const sigset_t& signals) { ::sigprocmask(SIG_BLOCK, &signals, &m_old); }

    ~BlockedSignals() { ::sigprocmask(SIG_SETMASK, &m_old, nullptr); }

    BlockedSignals(const BlockedSignals&) = delete;
    BlockedSignals& operator=(const BlockedSignals&) = delete;

    const sigset_t& old() const { return m_old; }

private:
    sigset_t m_old{};
};

} // namespace

std::optional<std::string> find_program(std::string_view command, std::string_view path) {
    if (command.empty()) {
        return std::nullopt;
    }
    if (command.find('/') != std::string_view::npos) {
        return std::string(command);
    }
    while (true) {
        auto colon = path.find(':');
        std::string directory(path.substr(0, colon));
        std::string candidate = (directory.empty() ? "." : directory) + "/" + std::string(command);
        if (is_executable_file(candidate)) {
            return candidate;
        }
        if (colon == std::string_view::npos) {
            return std::nullopt;
        }
        path.remove_prefix(colon + 1);
    }
}

SecretString
environment_entry(std::string_view head, std::string_view secret, std::string_view tail) {
    SecretString entry = SecretString::with_size(head.size() + secret.size() + tail.size() + 1);
    char* out = entry.data();
    for (std::string_view part : {head, secret, tail}) {
        if (!part.empty()) { // an empty view's data() may be null, which memcpy must not get
            std::memcpy(out, part.data(), part.size());
            out += part.size();
        }
    }
    *out = '\0';
    return entry;
}

Result<int> run_child(const std::string& program,
                      const std::vector<std::string>& arguments,
                      const std::vector<char*>& environment) {
    sigset_t waited;
    sigemptyset(&waited);
    for (int signal_number : k_forwarded_signals) {
        sigaddset(&waited, signal_number);
    }
    sigaddset(&waited, SIGCHLD);
    // SIGCHLD ignored by whoever started us would make the kernel reap the child for us.
    ::signal(SIGCHLD, SIG_DFL);
    BlockedSignals blocked(waited);

    std::vector<char*> argv;
    for (const auto& argument : arguments) {
        argv.push_back(const_cast<char*>(argument.c_str()));
    }
    argv.push_back(nullptr);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setsigmask(&attributes, &blocked.old());
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK);
    pid_t child = 0;
    int error = ::posix_spawn(
        &child, program.c_str(), nullptr, &attributes, argv.data(), environment.data());
    posix_spawnattr_destroy(&attributes);
    if (error != 0) {
        return make_error(error == ENOENT ? Errc::not_found : Errc::io_error,
                          "cannot run " + program + ": " + errno_text(error));
    }
    // The child keeps its core limit; ours had tokens in memory a moment ago.
    rlimit no_core{0, 0};
    ::setrlimit(RLIMIT_CORE, &no_core);

    while (true) {
        siginfo_t info{};
        if (::sigwaitinfo(&waited, &info) < 0) {
            if (errno == EINTR) {
                continue;
            }
            return make_error(Errc::internal, "waiting for " + program + ": " + errno_text(errno));
        }
        if (info.si_signo != SIGCHLD) {
            // A signal a process sent us goes on to the child; one the kernel sent for the
            // terminal went to the child's process group too, and is not sent twice.
            if (info.si_code <= 0 && info.si_pid != child) {
                ::kill(child, info.si_signo);
            }
            continue;
        }
        int status = 0;
        pid_t done = ::waitpid(child, &status, WNOHANG);
        if (done == 0 || (done < 0 && errno == EINTR)) {
            continue;
        }
        if (done < 0) {
            return make_error(Errc::internal, "waiting for " + program + ": " + errno_text(errno));
        }
        if (WIFEXITED(status)) {
            return WEXITSTATUS(status);
        }
        if (WIFSIGNALED(status)) {
            return 128 + WTERMSIG(status);
        }
    }
}

} // namespace feedz::cli
