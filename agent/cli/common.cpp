// SPDX-License-Identifier: MIT
#include "common.hpp"

#include <agent/core/paths.hpp>

#include <limits.h>
#include <unistd.h>

#include <cstdio>

namespace feedz::cli {

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
