// SPDX-License-Identifier: MIT
#include "process.hpp"

#include <agent/util/file.hpp>
#include <agent/util/system_error.hpp>

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <utility>

extern char** environ;

namespace feedz {

namespace {

constexpr int k_forwarded_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM};

// Blocks `signals` in this thread for the lifetime of this object.
class BlockedSignals {
public:
    explicit BlockedSignals(const sigset_t& signals) {
        ::pthread_sigmask(SIG_BLOCK, &signals, &m_old);
    }

    ~BlockedSignals() { ::pthread_sigmask(SIG_SETMASK, &m_old, nullptr); }

    BlockedSignals(const BlockedSignals&) = delete;
    BlockedSignals& operator=(const BlockedSignals&) = delete;

    const sigset_t& old() const { return m_old; }

private:
    sigset_t m_old{};
};

// Holds SIGPIPE back while we write to a child that may have exited: write() then fails with
// EPIPE, and the signal, which would kill us, is taken off the queue. Nothing is changed for
// the rest of the process (an ignored SIGPIPE would be inherited by every later child).
class HeldSigpipe {
public:
    HeldSigpipe() {
        sigemptyset(&m_sigpipe);
        sigaddset(&m_sigpipe, SIGPIPE);
        sigset_t pending;
        sigpending(&pending);
        m_was_pending = sigismember(&pending, SIGPIPE) == 1;
        ::pthread_sigmask(SIG_BLOCK, &m_sigpipe, &m_old);
    }

    ~HeldSigpipe() {
        sigset_t pending;
        sigpending(&pending);
        if (!m_was_pending && sigismember(&pending, SIGPIPE) == 1) {
            timespec no_wait{};
            while (::sigtimedwait(&m_sigpipe, nullptr, &no_wait) < 0 && errno == EINTR) {
            }
        }
        ::pthread_sigmask(SIG_SETMASK, &m_old, nullptr);
    }

    HeldSigpipe(const HeldSigpipe&) = delete;
    HeldSigpipe& operator=(const HeldSigpipe&) = delete;

private:
    sigset_t m_sigpipe{};
    sigset_t m_old{};
    bool m_was_pending = false;
};

std::string join_path(std::string_view directory, std::string_view name) {
    std::string path(directory);
    if (!path.ends_with('/')) {
        path += '/';
    }
    return path + std::string(name);
}

// A pipe for one of the child's standard streams (both empty when it gets none).
struct ChildEnd {
    Fd ours;   // the pipe end we keep
    Fd theirs; // the pipe end the child gets, closed in us once it runs
};

Result<ChildEnd> make_pipe(ChildStream stream, bool child_reads) {
    if (stream != ChildStream::pipe) {
        return ChildEnd{};
    }
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        return make_error(Errc::io_error, "cannot create a pipe: " + errno_text(errno));
    }
    Fd read_end(fds[0]);
    Fd write_end(fds[1]);
    if (child_reads) {
        return ChildEnd{std::move(write_end), std::move(read_end)};
    }
    return ChildEnd{std::move(read_end), std::move(write_end)};
}

void connect_stream(posix_spawn_file_actions_t& actions,
                    ChildStream stream,
                    const ChildEnd& end,
                    int target) {
    switch (stream) {
    case ChildStream::inherit:
        break;
    case ChildStream::null:
        posix_spawn_file_actions_addopen(
            &actions, target, "/dev/null", target == STDIN_FILENO ? O_RDONLY : O_WRONLY, 0);
        break;
    case ChildStream::pipe:
        posix_spawn_file_actions_adddup2(&actions, end.theirs.get(), target);
        break;
    }
}

Error waiting_error(const std::string& program, int error_number) {
    return make_error(Errc::internal, "waiting for " + program + ": " + errno_text(error_number));
}

// Milliseconds until `deadline` for poll(): -1 without one, 0 once it has passed.
int poll_timeout(const std::optional<std::chrono::steady_clock::time_point>& deadline) {
    if (!deadline) {
        return -1;
    }
    auto left =
        std::chrono::ceil<std::chrono::milliseconds>(*deadline - std::chrono::steady_clock::now());
    return static_cast<int>(std::clamp<long>(left.count(), 0, INT_MAX));
}

// Ends a child that overran its deadline: SIGTERM, so that it can clean up, then SIGKILL.
Error timed_out(Child& child) {
    child.send_signal(SIGTERM);
    auto ended = child.wait_until(std::chrono::steady_clock::now() + std::chrono::seconds(1));
    if (ended && !*ended) {
        child.send_signal(SIGKILL);
        (void)child.wait();
    }
    return make_error(Errc::timeout, child.program() + " did not finish in time");
}

// Reads what is ready on `fd` into `into` (up to `limit` bytes kept); closes it at the end.
Result<void> drain(Child& child, Fd& fd, std::string& into, std::size_t limit) {
    char buffer[4096];
    ssize_t n = ::read(fd.get(), buffer, sizeof(buffer));
    if (n < 0) {
        if (errno == EINTR || errno == EAGAIN) {
            return {};
        }
        return make_error(Errc::io_error,
                          "cannot read from " + child.program() + ": " + errno_text(errno));
    }
    if (n == 0) {
        fd.reset();
        return {};
    }
    std::size_t kept = std::min(static_cast<std::size_t>(n), limit - std::min(limit, into.size()));
    into.append(buffer, kept);
    return {};
}

// Writes what the pipe takes of `pending` to the child's stdin; closes it when all is written
// or the child has closed its end.
Result<void> feed(Child& child, std::string_view& pending) {
    ssize_t n = ::write(child.input().get(), pending.data(), pending.size());
    if (n < 0) {
        if (errno == EINTR || errno == EAGAIN) {
            return {};
        }
        if (errno == EPIPE) {
            child.input().reset();
            return {};
        }
        return make_error(Errc::io_error,
                          "cannot write to " + child.program() + ": " + errno_text(errno));
    }
    pending.remove_prefix(static_cast<std::size_t>(n));
    if (pending.empty()) {
        child.input().reset();
    }
    return {};
}

} // namespace

std::vector<std::string> path_directories(std::string_view path, PathSearch search) {
    std::vector<std::string> directories;
    while (true) {
        auto colon = path.find(':');
        std::string_view entry = path.substr(0, colon);
        if (search == PathSearch::as_shell) {
            directories.emplace_back(entry.empty() ? "." : entry);
        } else if (entry.starts_with('/')) {
            directories.emplace_back(entry);
        }
        if (colon == std::string_view::npos) {
            return directories;
        }
        path.remove_prefix(colon + 1);
    }
}

bool is_executable_file(const std::string& path) {
    struct stat st {};

    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)
           && ::access(path.c_str(), X_OK) == 0;
}

std::optional<std::string>
find_program(std::string_view command, std::string_view path, PathSearch search) {
    if (command.empty()) {
        return std::nullopt;
    }
    if (command.find('/') != std::string_view::npos) {
        return std::string(command);
    }
    for (const auto& directory : path_directories(path, search)) {
        std::string candidate = join_path(directory, command);
        if (is_executable_file(candidate)) {
            return candidate;
        }
    }
    return std::nullopt;
}

std::optional<std::string> own_executable() {
    char path[PATH_MAX];
    ssize_t length = ::readlink("/proc/self/exe", path, sizeof(path) - 1);
    if (length <= 0) {
        return std::nullopt;
    }
    return std::string(path, static_cast<std::size_t>(length));
}

std::string program_beside_own_executable(std::string_view name) {
    auto self = own_executable();
    return join_path(self ? parent_directory(*self) : ".", name);
}

bool safe_secret_variable_name(std::string_view name) {
    bool identifier = !name.empty()
                      && (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')
                      && std::all_of(name.begin(), name.end(), [](unsigned char c) {
                             return std::isalnum(c) || c == '_';
                         });
    if (!identifier) {
        return false;
    }
    std::string upper(name);
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) {
        return static_cast<char>(std::toupper(c));
    });
    // Prefixes of variables that configure a loader, a runtime or a client (the token would be
    // read as a setting, and often printed back in its error), and our own.
    for (const char* prefix : {"LD_",
                               "DYLD_",
                               "NPM_CONFIG_",
                               "YARN_",
                               "PNPM_",
                               "BUN_",
                               "COREPACK_",
                               "NODE_",
                               "GIT_",
                               "LC_",
                               "PYTHON",
                               "PERL",
                               "RUBY",
                               "JAVA_",
                               "_JAVA_",
                               "JDK_",
                               "FEEDZ_AGENT_"}) {
        if (upper.starts_with(prefix)) {
            return false;
        }
    }
    for (const char* reserved : {"PATH",
                                 "HOME",
                                 "SHELL",
                                 "ENV",
                                 "BASH_ENV",
                                 "IFS",
                                 "TMPDIR",
                                 "PWD",
                                 "USER",
                                 "LOGNAME",
                                 "PS4",
                                 "PROMPT_COMMAND",
                                 "LANG",
                                 "LANGUAGE",
                                 "TERM",
                                 "EDITOR",
                                 "VISUAL",
                                 "PAGER",
                                 "BROWSER",
                                 "SSH_ASKPASS",
                                 "SUDO_ASKPASS",
                                 "MAKEFLAGS",
                                 "MFLAGS",
                                 "HTTP_PROXY",
                                 "HTTPS_PROXY",
                                 "ALL_PROXY",
                                 "NO_PROXY",
                                 "FEEDZ_PAT",
                                 "FEEDZ_CREDENTIALS"}) {
        if (upper == reserved) {
            return false;
        }
    }
    return true;
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

int shell_exit_status(int wait_status) {
    if (WIFSIGNALED(wait_status)) {
        return 128 + WTERMSIG(wait_status);
    }
    return WEXITSTATUS(wait_status);
}

Child::Child(pid_t pid, std::string program, Fd input, Fd output, Fd errors)
    : m_pid(pid)
    , m_program(std::move(program))
    , m_input(std::move(input))
    , m_output(std::move(output))
    , m_errors(std::move(errors)) {}

Child::Child(Child&& other) noexcept
    : m_pid(std::exchange(other.m_pid, -1))
    , m_program(std::move(other.m_program))
    , m_input(std::move(other.m_input))
    , m_output(std::move(other.m_output))
    , m_errors(std::move(other.m_errors)) {}

Child& Child::operator=(Child&& other) noexcept {
    if (this != &other) {
        kill_and_reap();
        m_pid = std::exchange(other.m_pid, -1);
        m_program = std::move(other.m_program);
        m_input = std::move(other.m_input);
        m_output = std::move(other.m_output);
        m_errors = std::move(other.m_errors);
    }
    return *this;
}

Child::~Child() {
    kill_and_reap();
}

void Child::kill_and_reap() {
    if (m_pid > 0) {
        ::kill(m_pid, SIGKILL);
        while (::waitpid(m_pid, nullptr, 0) < 0 && errno == EINTR) {
        }
        m_pid = -1;
    }
}

Result<int> Child::wait() {
    if (m_pid <= 0) { // waitpid(-1) would wait for any child
        return make_error(Errc::internal, m_program + " was waited for already");
    }
    int status = 0;
    while (::waitpid(m_pid, &status, 0) < 0) {
        if (errno != EINTR) {
            return waiting_error(m_program, errno);
        }
    }
    m_pid = -1;
    return shell_exit_status(status);
}

Result<std::optional<int>> Child::try_wait() {
    if (m_pid <= 0) {
        return make_error(Errc::internal, m_program + " was waited for already");
    }
    int status = 0;
    pid_t done = ::waitpid(m_pid, &status, WNOHANG);
    if (done == 0 || (done < 0 && errno == EINTR)) {
        return std::optional<int>();
    }
    if (done < 0) {
        return waiting_error(m_program, errno);
    }
    m_pid = -1;
    return std::optional<int>(shell_exit_status(status));
}

Result<std::optional<int>> Child::wait_until(std::chrono::steady_clock::time_point deadline) {
    // By syscall: glibc 2.36's <sys/pidfd.h> declares pidfd_open() without extern "C".
    Fd exited(static_cast<int>(::syscall(SYS_pidfd_open, m_pid, 0)));
    while (exited) {
        pollfd descriptor{exited.get(), POLLIN, 0};
        int ready = ::poll(&descriptor, 1, poll_timeout(deadline));
        if (ready == 0) {
            return std::optional<int>();
        }
        if (ready > 0 || errno != EINTR) {
            break; // it has exited, or poll failed: wait() says which
        }
    }
    auto status = wait();
    if (!status) {
        return status.error();
    }
    return std::optional<int>(*status);
}

void Child::send_signal(int signal_number) {
    if (m_pid > 0) {
        ::kill(m_pid, signal_number);
    }
}

Result<Child> spawn(const std::string& program,
                    const std::vector<std::string>& arguments,
                    const SpawnOptions& options) {
    auto input = make_pipe(options.input, true);
    auto output = make_pipe(options.output, false);
    auto errors = make_pipe(options.errors, false);
    for (const auto* end : {&input, &output, &errors}) {
        if (!*end) {
            return end->error();
        }
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    connect_stream(actions, options.input, *input, STDIN_FILENO);
    connect_stream(actions, options.output, *output, STDOUT_FILENO);
    connect_stream(actions, options.errors, *errors, STDERR_FILENO);
    if (options.close_other_descriptors) {
        posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
    }
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    if (options.signal_mask != nullptr) {
        posix_spawnattr_setsigmask(&attributes, options.signal_mask);
        posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK);
    }
    std::vector<char*> argv;
    for (const auto& argument : arguments) {
        argv.push_back(const_cast<char*>(argument.c_str()));
    }
    argv.push_back(nullptr);
    pid_t pid = 0;
    int error = ::posix_spawn(&pid,
                              program.c_str(),
                              &actions,
                              &attributes,
                              argv.data(),
                              options.environment != nullptr ? options.environment : environ);
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    if (error != 0) {
        return make_error(error == ENOENT ? Errc::not_found : Errc::io_error,
                          "cannot run " + program + ": " + errno_text(error));
    }
    // Their ends close here, so that our reads see end-of-file when the child exits.
    return Child(
        pid, program, std::move(input->ours), std::move(output->ours), std::move(errors->ours));
}

Result<ChildOutput> communicate(Child& child, const CommunicateOptions& options) {
    ChildOutput result;
    std::string_view pending = options.input;
    std::optional<HeldSigpipe> held_sigpipe;
    if (child.input()) {
        if (pending.empty()) {
            child.input().reset();
        } else {
            ::fcntl(child.input().get(), F_SETFL, O_NONBLOCK);
            held_sigpipe.emplace();
        }
    }
    while (child.input() || child.output() || child.errors()) {
        std::array<pollfd, 3> fds{};
        nfds_t count = 0;
        for (Fd* fd : {&child.input(), &child.output(), &child.errors()}) {
            if (*fd) {
                fds[count++] = {
                    fd->get(), static_cast<short>(fd == &child.input() ? POLLOUT : POLLIN), 0};
            }
        }
        int ready = ::poll(fds.data(), count, poll_timeout(options.deadline));
        if (ready < 0 && errno == EINTR) {
            continue;
        }
        if (ready < 0) {
            return waiting_error(child.program(), errno);
        }
        if (ready == 0) {
            return timed_out(child);
        }
        for (nfds_t i = 0; i < count; ++i) {
            if (fds[i].revents == 0) {
                continue;
            }
            Result<void> done;
            if (child.input() && fds[i].fd == child.input().get()) {
                done = feed(child, pending);
            } else if (child.output() && fds[i].fd == child.output().get()) {
                done = drain(child, child.output(), result.output, options.output_limit);
            } else {
                done = drain(child, child.errors(), result.errors, options.output_limit);
            }
            if (!done) {
                return done.error();
            }
        }
    }
    held_sigpipe.reset();
    // Its pipes are closed, but it may not have exited yet.
    if (options.deadline) {
        auto status = child.wait_until(*options.deadline);
        if (!status) {
            return status.error();
        }
        if (!*status) {
            return timed_out(child);
        }
        result.status = **status;
        return result;
    }
    auto status = child.wait();
    if (!status) {
        return status.error();
    }
    result.status = *status;
    return result;
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

    SpawnOptions options;
    options.environment = environment.data();
    options.signal_mask = &blocked.old(); // the child gets the mask we were started with
    auto child = spawn(program, arguments, options);
    if (!child) {
        return child.error();
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
            return waiting_error(program, errno);
        }
        if (info.si_signo != SIGCHLD) {
            // A signal a process sent us goes on to the child; one the kernel sent for the
            // terminal went to the child's process group too, and is not sent twice.
            if (info.si_code <= 0 && info.si_pid != child->pid()) {
                child->send_signal(info.si_signo);
            }
            continue;
        }
        auto status = child->try_wait();
        if (!status) {
            return status.error();
        }
        if (*status) {
            return **status;
        }
    }
}

} // namespace feedz
