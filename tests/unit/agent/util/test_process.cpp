// SPDX-License-Identifier: MIT
// The process utility with real children: /bin/sh scripts, programs that are missing, children
// that outlive their deadline or die of a signal.
#include "scratch_directory.hpp"
#include <agent/util/process.hpp>

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <string>
#include <vector>

using namespace feedz;

namespace {

using Clock = std::chrono::steady_clock;

// Changes the working directory for the scope of a test.
class WorkingDirectory {
public:
    explicit WorkingDirectory(const std::string& path) {
        char old[PATH_MAX];
        REQUIRE(::getcwd(old, sizeof(old)) != nullptr);
        m_old = old;
        REQUIRE(::chdir(path.c_str()) == 0);
    }

    WorkingDirectory(const WorkingDirectory&) = delete;
    WorkingDirectory& operator=(const WorkingDirectory&) = delete;

    ~WorkingDirectory() { (void)::chdir(m_old.c_str()); }

private:
    std::string m_old;
};

// A /bin/sh script. Long-running ones `exec` their last command, so that no process of the
// shell's outlives the child the test kills.
std::vector<std::string> shell(const std::string& script) {
    return {"/bin/sh", "-c", script};
}

Child spawned(const std::vector<std::string>& arguments, const SpawnOptions& options) {
    auto child = spawn(arguments.front(), arguments, options);
    REQUIRE(child);
    return std::move(*child);
}

SpawnOptions piped() {
    SpawnOptions options;
    options.input = ChildStream::pipe;
    options.output = ChildStream::pipe;
    options.errors = ChildStream::pipe;
    return options;
}

bool process_exists(pid_t pid) {
    return ::kill(pid, 0) == 0 || errno != ESRCH;
}

constexpr const char* k_script = "#!/bin/sh\nexit 0\n";

} // namespace

TEST_CASE("path_directories: an empty entry is the current directory, unless only absolute "
          "entries count",
          "[util][process]") {
    CHECK(path_directories("/a::b:/c") == std::vector<std::string>{"/a", ".", "b", "/c"});
    CHECK(path_directories("/a::b:/c", PathSearch::absolute_only)
          == std::vector<std::string>{"/a", "/c"});
    CHECK(path_directories("") == std::vector<std::string>{"."});
    CHECK(path_directories("", PathSearch::absolute_only).empty());
    CHECK(path_directories("/a:") == std::vector<std::string>{"/a", "."});
}

TEST_CASE("find_program: the first executable regular file on PATH", "[util][process]") {
    ScratchDirectory scratch;
    std::string first = scratch.directory("first");
    std::string second = scratch.directory("second");
    std::string third = scratch.directory("third");
    scratch.file("first/tool", k_script, 0644); // not executable
    scratch.directory("second/tool");           // a directory named like the program
    std::string wanted = scratch.file("third/tool", k_script, 0755);
    std::string path = first + ":" + second + ":" + third;

    CHECK(find_program("tool", path) == wanted);
    CHECK(find_program("tool", path, PathSearch::absolute_only) == wanted);
    CHECK_FALSE(find_program("missing", path));
    CHECK_FALSE(find_program("tool", first + ":" + second));
    CHECK_FALSE(find_program("", path));
    // A name with a slash is not searched for.
    CHECK(find_program("./tool", path) == "./tool");
    CHECK(find_program("/no/such/tool", path) == "/no/such/tool");
    // A directory given with its trailing slash.
    CHECK(find_program("tool", third + "/") == wanted);
}

TEST_CASE("find_program: empty and relative PATH entries are the shell's, or skipped",
          "[util][process]") {
    ScratchDirectory scratch;
    scratch.file("here-tool", k_script, 0755);
    scratch.file("sub/sub-tool", k_script, 0755);
    WorkingDirectory in(scratch.path());

    CHECK(find_program("here-tool", "/nonexistent::/bin") == "./here-tool");
    CHECK(find_program("here-tool", "/nonexistent:") == "./here-tool");
    CHECK(find_program("sub-tool", "/nonexistent:sub") == "sub/sub-tool");
    CHECK_FALSE(find_program("here-tool", "/nonexistent::/bin", PathSearch::absolute_only));
    CHECK_FALSE(find_program("sub-tool", "sub:/nonexistent", PathSearch::absolute_only));
    CHECK(find_program("sub-tool", "sub:" + scratch.path() + "/sub", PathSearch::absolute_only)
          == scratch.path() + "/sub/sub-tool");
}

TEST_CASE("own_executable: this test program, and its companions beside it", "[util][process]") {
    auto self = own_executable();
    REQUIRE(self);
    CHECK(basename_of(*self) == "feedz-unit-tests");
    CHECK(program_beside_own_executable("feedz-agent") == parent_directory(*self) + "/feedz-agent");
}

TEST_CASE("environment_entry: NAME=value and a NUL in one wiped buffer", "[util][process]") {
    SecretString entry = environment_entry("TOKEN=", "s3cret", ";tail");
    CHECK(entry.view() == std::string_view("TOKEN=s3cret;tail\0", 18));
    SecretString bare = environment_entry("EMPTY=", "");
    CHECK(bare.view() == std::string_view("EMPTY=\0", 7));
}

TEST_CASE("communicate: input in, stdout and stderr out, the exit code", "[util][process]") {
    Child child = spawned(shell("cat; echo oops >&2; exit 3"), piped());
    CommunicateOptions options;
    options.input = "a line\nand a token on no line";
    auto finished = communicate(child, options);
    REQUIRE(finished);
    CHECK(finished->output == "a line\nand a token on no line");
    CHECK(finished->errors == "oops\n");
    CHECK(finished->status == 3);
}

TEST_CASE("communicate: a megabyte both ways at once does not deadlock", "[util][process]") {
    std::string input(1024 * 1024, 'x');
    for (std::size_t i = 0; i < input.size(); i += 61) {
        input[i] = '\n';
    }
    Child child = spawned(shell("cat; cat /dev/null >&2"), piped());
    CommunicateOptions options;
    options.input = input;
    options.deadline = Clock::now() + std::chrono::seconds(30);
    auto finished = communicate(child, options);
    REQUIRE(finished);
    CHECK(finished->output == input);
    CHECK(finished->status == 0);
}

TEST_CASE("communicate: output beyond the limit is read and dropped", "[util][process]") {
    Child child = spawned(shell("head -c 100000 /dev/zero; echo done >&2"), piped());
    CommunicateOptions options;
    options.output_limit = 10;
    auto finished = communicate(child, options);
    REQUIRE(finished);
    CHECK(finished->output == std::string(10, '\0'));
    CHECK(finished->errors == "done\n");
    CHECK(finished->status == 0);
}

TEST_CASE("communicate: a child that exits without reading its input is no error",
          "[util][process]") {
    // More than a pipe holds, so the write meets a closed pipe (EPIPE; SIGPIPE would kill us).
    std::string input(1024 * 1024, 'x');
    Child child = spawned(shell("exec 0<&-; exit 5"), piped());
    CommunicateOptions options;
    options.input = input;
    auto finished = communicate(child, options);
    REQUIRE(finished);
    CHECK(finished->status == 5);
    sigset_t pending;
    sigpending(&pending);
    CHECK(sigismember(&pending, SIGPIPE) == 0);
}

TEST_CASE("communicate: at the deadline the child is terminated and reaped", "[util][process]") {
    SECTION("while its output is open") {
        Child child = spawned(shell("exec sleep 30"), piped());
        pid_t pid = child.pid();
        CommunicateOptions options;
        options.deadline = Clock::now() + std::chrono::milliseconds(200);
        auto started = Clock::now();
        auto finished = communicate(child, options);
        REQUIRE_FALSE(finished);
        CHECK(finished.error().code == Errc::timeout);
        CHECK(finished.error().message == "/bin/sh did not finish in time");
        CHECK(Clock::now() - started < std::chrono::seconds(10));
        CHECK_FALSE(process_exists(pid));
    }
    SECTION("after it closed its output") {
        Child child = spawned(shell("exec sleep 30 >&- 2>&-"), piped());
        pid_t pid = child.pid();
        CommunicateOptions options;
        options.deadline = Clock::now() + std::chrono::milliseconds(200);
        auto finished = communicate(child, options);
        REQUIRE_FALSE(finished);
        CHECK(finished.error().code == Errc::timeout);
        CHECK_FALSE(process_exists(pid));
    }
}

TEST_CASE("Child::wait_until: nothing before the deadline, the status once it ended",
          "[util][process]") {
    Child child = spawned(shell("exec sleep 30"), {});
    auto started = Clock::now();
    auto running = child.wait_until(Clock::now() + std::chrono::milliseconds(100));
    REQUIRE(running);
    CHECK_FALSE(*running);
    CHECK(Clock::now() - started >= std::chrono::milliseconds(100));
    child.send_signal(SIGKILL);
    auto ended = child.wait_until(Clock::now() + std::chrono::seconds(10));
    REQUIRE(ended);
    REQUIRE(*ended);
    CHECK(**ended == 128 + SIGKILL);
    // Waited for: a second wait is an error, not a wait for any child.
    CHECK_FALSE(child.wait());
}

TEST_CASE("communicate: a child killed by a signal reports 128 + N", "[util][process]") {
    Child child = spawned(shell("kill -TERM $$"), piped());
    auto finished = communicate(child);
    REQUIRE(finished);
    CHECK(finished->status == 128 + SIGTERM);
}

TEST_CASE("spawn: /dev/null for stdin, and the environment it is given", "[util][process]") {
    std::string variable = "ONLY=this";
    std::vector<char*> environment{variable.data(), nullptr};
    SpawnOptions options;
    options.input = ChildStream::null;
    options.output = ChildStream::pipe;
    options.environment = environment.data();
    Child child = spawned(
        shell("read line || echo end-of-file; echo \"[$line] $ONLY ${HOME-no home}\""), options);
    auto finished = communicate(child);
    REQUIRE(finished);
    CHECK(finished->output == "end-of-file\n[] this no home\n");
    CHECK(finished->status == 0);
}

TEST_CASE("spawn: a missing program, or a directory, cannot be run", "[util][process]") {
    auto missing = spawn("/nonexistent/program", {"program"});
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == Errc::not_found);
    CHECK(missing.error().message == "cannot run /nonexistent/program: No such file or directory");

    ScratchDirectory scratch;
    std::string directory = scratch.directory("program");
    auto not_a_program = spawn(directory, {"program"});
    REQUIRE_FALSE(not_a_program);
    CHECK(not_a_program.error().code == Errc::io_error);
    CHECK(not_a_program.error().message == "cannot run " + directory + ": Permission denied");
}

TEST_CASE("spawn: a child that outlives us gets none of our other descriptors, and a dropped "
          "child is killed",
          "[util][process]") {
    int fds[2];
    REQUIRE(::pipe(fds) == 0); // inheritable, like a pipe of the shell that ran us
    Fd read_end(fds[0]);
    Fd write_end(fds[1]);
    pid_t pid = 0;
    {
        SpawnOptions options;
        options.close_other_descriptors = true;
        Child child = spawned(shell("exec sleep 30"), options);
        pid = child.pid();
        write_end.reset();
        // End-of-file at once: the child does not hold the write end.
        pollfd descriptor{read_end.get(), POLLIN, 0};
        REQUIRE(::poll(&descriptor, 1, 5000) == 1);
        char byte = 0;
        CHECK(::read(read_end.get(), &byte, 1) == 0);
        CHECK(process_exists(pid));
    }
    CHECK_FALSE(process_exists(pid));
}

TEST_CASE("run_child: the exit code, or 128 + N for a signal", "[util][process]") {
    std::vector<char*> environment{nullptr};
    auto exited = run_child("/bin/sh", shell("exit 7"), environment);
    REQUIRE(exited);
    CHECK(*exited == 7);

    auto killed = run_child("/bin/sh", shell("kill -KILL $$"), environment);
    REQUIRE(killed);
    CHECK(*killed == 128 + SIGKILL);

    auto missing = run_child("/nonexistent/program", {"program"}, environment);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == Errc::not_found);
}

TEST_CASE("run_child: a signal another process sends us is passed on to the child",
          "[util][process]") {
    // The subshell is not our child, so its SIGUSR1 to us ($PPID) is forwarded; the child
    // exits 42 when it gets it.
    std::vector<char*> environment{nullptr};
    auto status = run_child(
        "/bin/sh",
        shell("trap 'exit 42' USR1; (kill -USR1 $PPID); i=0; while [ $i -lt 500 ]; do sleep 0.01; "
              "i=$((i + 1)); done; exit 1"),
        environment);
    REQUIRE(status);
    CHECK(*status == 42);
}

TEST_CASE("process: the variables a secret may go into") {
    for (const char* name : {"FEEDZ_KEY", "NPM_TOKEN", "FEEDZ_NPM_AUTH_ACME_PKGS", "_x1"}) {
        INFO(name);
        CHECK(feedz::safe_secret_variable_name(name));
    }
    // Not identifiers; read by loaders, runtimes, shells, clients or ourselves as settings.
    for (const char* name : {"",
                             "1A",
                             "A-B",
                             "LD_PRELOAD",
                             "ld_preload",
                             "NODE_OPTIONS",
                             "npm_config_registry",
                             "YARN_RC_FILENAME",
                             "PNPM_HOME",
                             "BUN_INSTALL",
                             "LC_ALL",
                             "LANG",
                             "TERM",
                             "EDITOR",
                             "PAGER",
                             "JAVA_TOOL_OPTIONS",
                             "_JAVA_OPTIONS",
                             "PYTHONWARNINGS",
                             "https_proxy",
                             "MAKEFLAGS",
                             "FEEDZ_PAT",
                             "FEEDZ_CREDENTIALS",
                             "FEEDZ_AGENT_LOG",
                             "PATH",
                             "BASH_ENV",
                             "GIT_ASKPASS"}) {
        INFO(name);
        CHECK_FALSE(feedz::safe_secret_variable_name(name));
    }
}
