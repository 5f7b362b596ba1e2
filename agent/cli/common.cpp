// SPDX-License-Identifier: MIT
#include "common.hpp"

#include <agent/core/paths.hpp>
#include <agent/util/process.hpp>

namespace feedz::cli {

Result<AgentClient> connect_agent() {
    ConnectOptions options;
    options.socket_path = agent_socket_path();
    options.agent_executable = own_executable().value_or("feedz-agent");
    return AgentClient::connect(options);
}

} // namespace feedz::cli
