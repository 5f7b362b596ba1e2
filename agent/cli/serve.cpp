// SPDX-License-Identifier: MIT
// The commands that run and stop the agent itself.
#include <agent/cli/common.hpp>
#include <agent/core/paths.hpp>
#include <agent/util/file.hpp>
#include <agent/util/process.hpp>
#include <agent/util/system_error.hpp>

#include <unistd.h>

#include <cerrno>
#include <cstdio>

namespace feedz::cli {

namespace {

// The agent itself is feedz-agentd, next to this program: the process that holds the tokens
// maps no HTTP, XML or TLS code, and stays small.
Result<int> run_serve(const Context&, Arguments& arguments, char** argv) {
    std::string daemon = program_beside_own_executable("feedz-agentd");
    if (::access(daemon.c_str(), X_OK) != 0) {
        return make_error(Errc::agent_unavailable,
                          "cannot run the agent: " + daemon
                              + " is missing or not executable; reinstall feedz-agent");
    }
    (void)arguments;
    // argv[1] is "serve": the daemon takes the same options.
    argv[1] = const_cast<char*>("feedz-agentd");
    ::execv(daemon.c_str(), argv + 1);
    return make_error(Errc::agent_unavailable, "cannot run " + daemon + ": " + errno_text(errno));
}

Result<int> run_stop(const Context& context, Arguments& arguments, char**) {
    if (!arguments.positional().empty()) {
        return make_error(Errc::invalid_argument, "stop takes no arguments");
    }
    std::string socket_path = agent_socket_path();
    auto connected = context.connect_running_agent();
    if (!connected) {
        if (connected.error().code == Errc::agent_unavailable) {
            std::printf("No agent is running.\n");
            return k_exit_ok;
        }
        return connected.error();
    }
    Agent& agent = **connected;
    long pid = agent.greeting().pid;
    if (auto stopped = agent.stop(); !stopped) {
        return stopped.error();
    }
    // The agent holds its lock until it has exited: once we get it, it is gone.
    auto gone = FileLock::acquire(socket_path + ".lock", 10000);
    if (!gone) {
        return make_error(Errc::timeout,
                          "the agent (pid " + std::to_string(pid)
                              + ") did not exit within 10 s; kill it with: kill "
                              + std::to_string(pid));
    }
    std::printf("Stopped the agent (pid %ld).\n", pid);
    return k_exit_ok;
}

} // namespace

const Command& serve_command() {
    static const Command command{
        "serve",
        "run the agent (clients start it on demand; systemd can socket-activate it)",
        "usage: feedz-agent serve [--foreground] [--idle-timeout SECONDS]\n"
        "\n"
        "Runs the per-user agent that owns the tokens. Without --foreground it detaches and\n"
        "returns once the agent listens. The store comes from FEEDZ_AGENT_STORE\n"
        "(secret-service or memory); the socket from FEEDZ_AGENT_SOCKET or\n"
        "$XDG_RUNTIME_DIR/feedz-agent/agent.sock.\n"
        "\n"
        "options:\n"
        "  --foreground            stay in the foreground (for systemd and debugging)\n"
        "  --idle-timeout SECONDS  exit after this long without requests, unless the memory\n"
        "                          store holds tokens (default: 900 for an agent started on\n"
        "                          demand or by systemd, never otherwise; 0 = never)\n",
        {{"foreground", false, false}, {"on-demand", false, false}, {"idle-timeout", true, false}},
        run_serve,
    };
    return command;
}

const Command& stop_command() {
    static const Command command{
        "stop",
        "stop the running agent",
        "usage: feedz-agent stop\n"
        "\n"
        "Asks the agent to exit and waits until it has. Tokens in the memory store are lost;\n"
        "the keychain keeps its tokens.\n",
        {},
        run_stop,
    };
    return command;
}

} // namespace feedz::cli
