// SPDX-License-Identifier: MIT
#include "common.hpp"

#include <agent/core/paths.hpp>
#include <agent/ipc/client.hpp>
#include <agent/util/process.hpp>

namespace feedz::cli {

namespace {

Result<std::unique_ptr<Agent>> owned(Result<AgentClient> client) {
    if (!client) {
        return client.error();
    }
    return std::unique_ptr<Agent>(std::make_unique<AgentClient>(std::move(*client)));
}

} // namespace

const Context& process_context() {
    static const Context context{
        process_environment(),
        [] {
            ConnectOptions options;
            options.socket_path = agent_socket_path();
            options.agent_executable = own_executable().value_or("feedz-agent");
            return owned(AgentClient::connect(options));
        },
        [] { return owned(connect_to_running_agent(agent_socket_path())); },
        probe_feed,
    };
    return context;
}

} // namespace feedz::cli
