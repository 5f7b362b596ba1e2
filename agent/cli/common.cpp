// SPDX-License-Identifier: MIT
#include "common.hpp"

#include <agent/core/paths.hpp>

#include <limits.h>
#include <unistd.h>

#include <cstdio>

namespace feedz::cli {

int exit_code_for(const Error& error) {
    switch (error.code) {
    case Errc::invalid_argument:
        return k_exit_usage;
    case Errc::agent_unavailable:
    case Errc::store_unavailable:
        return k_exit_unavailable;
    case Errc::store_locked:
    case Errc::permission_denied:
        return k_exit_permission;
    default:
        return k_exit_failure;
    }
}

int report(const Error& error) {
    std::fprintf(stderr, "feedz-agent: error: %s\n", error.message.c_str());
    return exit_code_for(error);
}

std::string own_executable() {
    char path[PATH_MAX];
    ssize_t length = ::readlink("/proc/self/exe", path, sizeof(path) - 1);
    if (length <= 0) {
        return "feedz-agent";
    }
    return std::string(path, static_cast<std::size_t>(length));
}

Result<AgentClient> connect_agent() {
    ConnectOptions options;
    options.socket_path = agent_socket_path();
    options.agent_executable = own_executable();
    return AgentClient::connect(options);
}

} // namespace feedz::cli
