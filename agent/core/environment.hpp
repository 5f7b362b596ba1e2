// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace feedz {

// Every environment variable feedz-agent reads, in one table (the README's table mirrors it).
struct EnvironmentVariable {
    std::string_view name;
    std::string_view meaning;
};

inline constexpr std::string_view k_env_pat = "FEEDZ_PAT";
inline constexpr std::string_view k_env_credentials = "FEEDZ_CREDENTIALS";
inline constexpr std::string_view k_env_socket = "FEEDZ_AGENT_SOCKET";
inline constexpr std::string_view k_env_store = "FEEDZ_AGENT_STORE";
inline constexpr std::string_view k_env_log = "FEEDZ_AGENT_LOG";
inline constexpr std::string_view k_env_idle_timeout = "FEEDZ_AGENT_IDLE_TIMEOUT";
inline constexpr std::string_view k_env_keychain_timeout = "FEEDZ_AGENT_KEYCHAIN_TIMEOUT";
inline constexpr std::string_view k_env_exec_access = "FEEDZ_AGENT_EXEC_ACCESS";

inline constexpr EnvironmentVariable k_environment_variables[] = {
    {k_env_pat, "CI: the token for every feed on https://f.feedz.io/ (read-only, no agent)"},
    {k_env_credentials,
     "CI: JSON list of {\"feed\": URL prefix, \"token\": ...}; the longest path-segment "
     "prefix of a request URL wins"},
    {k_env_socket, "path of the agent's socket (default $XDG_RUNTIME_DIR/feedz-agent/agent.sock)"},
    {k_env_store,
     "where the agent keeps tokens: secret-service (default, the OS keychain) or memory "
     "(the agent's memory only, for machines without a keychain)"},
    {k_env_log, "file the shims append diagnostics to (their stderr stays quiet)"},
    {k_env_idle_timeout,
     "seconds an agent started on demand waits idle before it exits (default 900; 0 = never)"},
    {k_env_keychain_timeout,
     "seconds the agent waits for the keychain to answer before it reports it hung (default 25)"},
    {k_env_exec_access,
     "set by exec for its command: the level it chose per feed (FEED=read|write|manage ...), "
     "which token-helper serves"},
};

// The value of environment variable `name`, or nullopt when unset or empty.
std::optional<std::string> get_env(std::string_view name);

// What the commands read from their process, behind an interface so that their unit tests
// can give them another (tests/unit/support/fake_environment.hpp).
class Environment {
public:
    virtual ~Environment() = default;

    // As get_env(): nullopt when unset or empty.
    virtual std::optional<std::string> get(std::string_view name) const = 0;

    // The working directory ("." when it cannot be told).
    virtual std::string current_directory() const = 0;
};

// The process's own environment and working directory.
const Environment& process_environment();

} // namespace feedz
