// SPDX-License-Identifier: MIT
// Other programs: finding them on PATH, starting them (posix_spawn, with pipes where asked) and
// waiting for them. The one place that does so; secrets go to a child through a pipe or an
// environment entry in wiped memory, never through its argv, which `ps` shows.
#pragma once

#include <agent/util/fd.hpp>
#include <agent/util/result.hpp>
#include <agent/util/secret_string.hpp>

#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace feedz {

// Exit codes of a shell for a command it cannot run.
inline constexpr int k_exit_not_executable = 126;
inline constexpr int k_exit_not_found = 127;

// Which entries of a PATH value a search looks in.
enum class PathSearch {
    // Every entry, an empty one meaning the current directory, as the shell and execvp do.
    as_shell,
    // Absolute entries only, as NuGet's plugin discovery does: for a program started from
    // whatever directory its caller is in, where a relative entry could find anyone's file.
    absolute_only,
};

// The directories a search of `path` (a PATH value) looks in, in order.
std::vector<std::string> path_directories(std::string_view path,
                                          PathSearch search = PathSearch::as_shell);

// Whether `path` is a regular file (or a link to one) we may execute.
bool is_executable_file(const std::string& path);

// Where `command` is: itself when it holds a '/', otherwise the first executable regular file
// of that name in the directories of `path` (a PATH value); a directory of that name is
// passed over, as execvp does. nullopt when there is none.
std::optional<std::string> find_program(std::string_view command,
                                        std::string_view path,
                                        PathSearch search = PathSearch::as_shell);

// This program's own path (/proc/self/exe); nullopt when it cannot be read.
std::optional<std::string> own_executable();

// The program `name` in the directory this one runs from ("./name" when that is unknown):
// feedz-agent's companions are installed side by side.
std::string program_beside_own_executable(std::string_view name);

// `head` + `secret` + `tail` and a NUL, for the child's environment ("NAME=…"), in memory that
// is wiped when it goes.
SecretString
environment_entry(std::string_view head, std::string_view secret, std::string_view tail = {});

// Whether a secret may go into the variable `name`: an identifier, and none that changes how
// programs run (LD_PRELOAD=<token> would make the dynamic loader print the token on every
// start; PATH, HOME, BASH_ENV and the like would change what runs or where it reads).
bool safe_secret_variable_name(std::string_view name);

// Exit status as a shell reports it: the exit code, or 128 + N when signal N killed the child.
int shell_exit_status(int wait_status);

// How a child's standard stream is connected.
enum class ChildStream {
    inherit, // ours
    null,    // /dev/null
    pipe,    // a pipe to us (Child::input(), output(), errors())
};

struct SpawnOptions {
    ChildStream input = ChildStream::inherit;
    ChildStream output = ChildStream::inherit;
    ChildStream errors = ChildStream::inherit;
    // The child's environment ("NAME=value" entries, null-terminated); null for ours.
    char* const* environment = nullptr;
    // The child's signal mask; null for ours.
    const sigset_t* signal_mask = nullptr;
    // Closes every descriptor above 2 in the child, for one that outlives us: it must not hold
    // open a pipe of the shell that ran us (`$(feedz-agent list)` would wait for it).
    bool close_other_descriptors = false;
};

// A running child. One that is dropped before it was waited for is killed (SIGKILL) and reaped,
// so that no error path leaves a zombie or a stray process behind.
class Child {
public:
    Child(Child&& other) noexcept;
    Child& operator=(Child&& other) noexcept;
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    ~Child();

    pid_t pid() const { return m_pid; }

    const std::string& program() const { return m_program; }

    // Our ends of the pipes asked for in SpawnOptions (empty otherwise).
    Fd& input() { return m_input; }

    Fd& output() { return m_output; }

    Fd& errors() { return m_errors; }

    // Waits for the child to exit; its shell_exit_status().
    Result<int> wait();

    // Its shell_exit_status() if it has exited, without waiting; nullopt while it runs.
    Result<std::optional<int>> try_wait();

    // wait() until `deadline`; nullopt when it still runs then. (Without pidfds, a kernel
    // before 5.3, it waits without a deadline.)
    Result<std::optional<int>> wait_until(std::chrono::steady_clock::time_point deadline);

    // Sends `signal_number` to the child, unless it has been waited for.
    void send_signal(int signal_number);

private:
    friend Result<Child> spawn(const std::string& program,
                               const std::vector<std::string>& arguments,
                               const SpawnOptions& options);

    Child(pid_t pid, std::string program, Fd input, Fd output, Fd errors);

    void kill_and_reap();

    pid_t m_pid = -1; // -1 once waited for
    std::string m_program;
    Fd m_input;
    Fd m_output;
    Fd m_errors;
};

// Starts `program` (a path: nothing is searched) with `arguments` (argv, program name first).
// Errc::not_found when it does not exist, Errc::io_error for other failures, both as
// "cannot run PROGRAM: REASON".
Result<Child> spawn(const std::string& program,
                    const std::vector<std::string>& arguments,
                    const SpawnOptions& options = {});

// What a finished child wrote to its piped stdout and stderr, and how it ended.
struct ChildOutput {
    int status = 0; // shell_exit_status()
    std::string output;
    std::string errors;
};

struct CommunicateOptions {
    // Written to the child's stdin pipe, which is then closed. A child that exits without
    // reading it all is no error (its status tells).
    std::string_view input;
    // When it passes, the child gets SIGTERM (SIGKILL if it is still there a second later) and
    // is waited for; the result is Errc::timeout.
    std::optional<std::chrono::steady_clock::time_point> deadline;
    // Kept of each of stdout and stderr; the rest is read and dropped.
    std::size_t output_limit = 1024 * 1024;
};

// Feeds the child its input and reads its output at the same time (so that neither side can
// block the other on a full pipe) until its pipes close, then waits for it to exit.
Result<ChildOutput> communicate(Child& child, const CommunicateOptions& options = {});

// Runs `program` with `arguments` (argv, program name first) and `environment` ("NAME=value",
// null-terminated) as our child, stdio inherited, and waits for it. SIGINT, SIGTERM, SIGHUP,
// SIGQUIT, SIGUSR1, SIGUSR2 and SIGALRM sent to us are passed on to it (those a terminal sends
// reach it directly, being in our process group). Returns its shell_exit_status().
Result<int> run_child(const std::string& program,
                      const std::vector<std::string>& arguments,
                      const std::vector<char*>& environment);

} // namespace feedz
