// SPDX-License-Identifier: MIT
// nuget-plugin-feedz: NuGet's credential provider for Feedz. NuGet (dotnet restore, build,
// nuget push) finds it on PATH and starts it with -Plugin when a feed answers 401; it answers
// with the token from FEEDZ_PAT/FEEDZ_CREDENTIALS (CI) or from the feedz-agent.
#include "agent_source.hpp"
#include "diagnostic_log.hpp"
#include "env_source.hpp"
#include "plugin_session.hpp"
#include <agent/core/paths.hpp>
#include <agent/version.hpp>

#include <strings.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>

namespace {

constexpr const char* k_usage =
    "nuget-plugin-feedz is the NuGet credential provider of feedz-agent. NuGet starts it\n"
    "(with -Plugin) when a Feedz feed asks for credentials and talks to it over stdin and\n"
    "stdout; it is not meant to be run by hand.\n"
    "\n"
    "To use it: keep it on PATH, leave NUGET_PLUGIN_PATHS and NUGET_NETCORE_PLUGIN_PATHS unset\n"
    "(or list it there), and store a token with `feedz-agent login --feed org/repo`.\n"
    "In CI, set FEEDZ_PAT or FEEDZ_CREDENTIALS instead. FEEDZ_AGENT_LOG=FILE logs what it does.\n";

std::unique_ptr<feedz::nuget::CredentialSource> make_source() {
    using namespace feedz::nuget;
    if (EnvSource::configured()) {
        return std::make_unique<EnvSource>(feedz::env_credentials_from_environment());
    }
    feedz::ConnectOptions options;
    options.socket_path = feedz::agent_socket_path();
    options.agent_executable = find_agent_executable();
    return std::make_unique<AgentSource>(std::move(options));
}

} // namespace

int main(int argc, char** argv) {
    if (argc == 2 && std::strcmp(argv[1], "--version") == 0) {
        std::printf("nuget-plugin-feedz %s\n", feedz::k_version);
        return 0;
    }
    if (argc == 2 && std::strcmp(argv[1], "--help") == 0) {
        std::fputs(k_usage, stdout);
        return 0;
    }
    if (argc != 2 || ::strcasecmp(argv[1], "-Plugin") != 0) {
        std::fputs(k_usage, stderr);
        return 2;
    }
    // A write to a NuGet that has gone must fail with EPIPE (the session then ends), not kill
    // the process before it can log why.
    std::signal(SIGPIPE, SIG_IGN);
    auto log = feedz::nuget::DiagnosticLog::from_environment();
    try {
        auto source = make_source();
        feedz::nuget::PluginSession session(STDIN_FILENO, STDOUT_FILENO, *source, log);
        session.run();
        // A look-up may still be waiting on the agent, and the session's destructor would wait
        // for it; NuGet wants the process gone now (it kills a plugin 2 s after Close). All
        // output went out with write(2), so there is nothing to flush.
        std::_Exit(0);
    } catch (const std::exception& error) {
        // stderr stays silent (NuGet shows it raw to the user); the log says why.
        log.record({.event = "crash", .detail = error.what()});
        std::_Exit(1);
    }
}
