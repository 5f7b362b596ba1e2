// SPDX-License-Identifier: MIT
// The commands that run and stop the agent itself.
#include <agent/cli/common.hpp>
#include <agent/core/environment.hpp>
#include <agent/core/paths.hpp>
#include <agent/server/agent_server.hpp>
#include <agent/server/daemon.hpp>
#include <agent/store/memory_store.hpp>
#include <agent/store/secret_service_store.hpp>

#include <malloc.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <memory>

namespace feedz::cli {

namespace {

// An agent that can be started again transparently (by a client or by systemd) exits after
// this long without a request.
constexpr std::chrono::seconds k_default_idle_timeout{900};

Result<std::unique_ptr<SecretStore>> make_store() {
    std::string kind = get_env(k_env_store).value_or("secret-service");
    if (kind == "secret-service") {
        return std::unique_ptr<SecretStore>(std::make_unique<SecretServiceStore>());
    }
    if (kind == "memory") {
        return std::unique_ptr<SecretStore>(std::make_unique<MemoryStore>());
    }
    return make_error(Errc::invalid_argument,
                      "FEEDZ_AGENT_STORE=" + kind
                          + " is not a store: use secret-service (the OS keychain, default) or "
                            "memory (the agent's memory only, lost when it stops)");
}

Result<std::chrono::seconds> parse_seconds(const std::string& text, const std::string& what) {
    long value = -1;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 0) {
        return make_error(Errc::invalid_argument,
                          what + " must be a whole number of seconds (0 = never), not '" + text
                              + "'");
    }
    return std::chrono::seconds(value);
}

Result<std::chrono::seconds> idle_timeout(const Arguments& arguments, bool restartable) {
    if (auto value = arguments.value("idle-timeout")) {
        return parse_seconds(*value, "--idle-timeout");
    }
    if (auto value = get_env(k_env_idle_timeout)) {
        return parse_seconds(*value, std::string(k_env_idle_timeout));
    }
    return restartable ? k_default_idle_timeout : std::chrono::seconds(0);
}

int run_serve(Arguments& arguments, char**) {
    if (!arguments.positional().empty()) {
        return report(make_error(Errc::invalid_argument, "serve takes no arguments"));
    }
    bool foreground = arguments.has("foreground");
    bool on_demand = arguments.has("on-demand");
    bool socket_activated = std::getenv("LISTEN_FDS") != nullptr;
    auto store = make_store();
    if (!store) {
        return report(store.error());
    }
    auto timeout = idle_timeout(arguments, on_demand || socket_activated);
    if (!timeout) {
        return report(timeout.error());
    }

    ReadyNotifier notifier;
    if (!foreground) {
        auto daemon = daemonize();
        if (!daemon) {
            return report(daemon.error());
        }
        notifier = std::move(*daemon);
    }
    auto fail = [&](const Error& error) {
        notifier.failed(error.message);
        return report(error);
    };
    // The agent lives long and allocates little: one malloc arena, and GLib's slice allocator
    // on plain malloc, so the memory libsecret churns through when loading tokens is
    // returned (about 0.6 MiB less resident with 100 tokens). Both before any thread or GLib.
    ::mallopt(M_ARENA_MAX, 1);
    ::setenv("G_SLICE", "always-malloc", 0);
    // Before any thread exists, so every thread inherits the mask.
    auto signals = block_termination_signals();
    if (!signals) {
        return fail(signals.error());
    }
    harden_process();
    auto audit = AuditLog::open(state_directory() + "/audit.log");
    if (!audit) {
        return fail(audit.error());
    }

    ServerOptions options;
    options.socket_path = agent_socket_path();
    options.on_demand = on_demand;
    options.idle_timeout = *timeout;
    AgentServer server(options, **store, *audit);
    if (auto started = server.start(); !started) {
        return fail(started.error());
    }
    notifier.ready();
    if (foreground) {
        std::fprintf(stderr,
                     "feedz-agent: listening on %s (store: %s)\n",
                     options.socket_path.c_str(),
                     (*store)->kind());
    }
    std::string reason = server.run(signals->get());
    if (foreground) {
        std::fprintf(stderr, "feedz-agent: stopped (%s)\n", reason.c_str());
    }
    return k_exit_ok;
}

int run_stop(Arguments& arguments, char**) {
    if (!arguments.positional().empty()) {
        return report(make_error(Errc::invalid_argument, "stop takes no arguments"));
    }
    std::string socket_path = agent_socket_path();
    auto agent = connect_to_running_agent(socket_path);
    if (!agent) {
        if (agent.error().code == Errc::agent_unavailable) {
            std::printf("No agent is running.\n");
            return k_exit_ok;
        }
        return report(agent.error());
    }
    long pid = agent->greeting().pid;
    if (auto stopped = agent->stop(); !stopped) {
        return report(stopped.error());
    }
    // The agent holds its lock until it has exited: once we get it, it is gone.
    auto gone = FileLock::acquire(socket_path + ".lock", 10000);
    if (!gone) {
        return report(make_error(Errc::timeout,
                                 "the agent (pid " + std::to_string(pid)
                                     + ") did not exit within 10 s; kill it with: kill "
                                     + std::to_string(pid)));
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
