// SPDX-License-Identifier: MIT
#include "serve.hpp"

#include <agent/core/environment.hpp>
#include <agent/core/paths.hpp>
#include <agent/server/agent_server.hpp>
#include <agent/server/daemon.hpp>
#include <agent/store/memory_store.hpp>
#include <agent/store/secret_service_store.hpp>
#include <agent/util/arguments.hpp>
#include <agent/util/report.hpp>

#include <malloc.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>

namespace feedz {

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

int serve(Arguments& arguments) {
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

int serve_command_line(int argc, char** argv) {
    auto arguments = parse_arguments(
        argc,
        argv,
        1,
        "serve",
        {{"foreground", false, false}, {"on-demand", false, false}, {"idle-timeout", true, false}});
    if (!arguments) {
        return report(arguments.error());
    }
    return serve(*arguments);
}

} // namespace

int serve_main(int argc, char** argv) {
    try {
        return serve_command_line(argc, argv);
    } catch (const std::exception& error) {
        return report(make_error(Errc::internal, std::string("internal error: ") + error.what()));
    } catch (...) {
        return report(make_error(Errc::internal, "internal error"));
    }
}

} // namespace feedz
