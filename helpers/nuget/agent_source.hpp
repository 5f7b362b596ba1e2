// SPDX-License-Identifier: MIT
#pragma once

#include "credential_source.hpp"
#include <agent/ipc/client.hpp>

#include <optional>
#include <string>

namespace feedz::nuget {

// Tokens from the per-user agent, which is started (`feedz-agent serve --on-demand`) when none
// runs. One connection serves every look-up of the plugin process.
class AgentSource final : public CredentialSource {
public:
    explicit AgentSource(ConnectOptions options)
        : m_options(std::move(options)) {}

    std::string_view description() const override { return "the agent"; }

    bool from_environment() const override { return false; }

    Result<TokenLookup> lookup(std::string_view url, Operation operation) override;

private:
    Result<TokenLookup> lookup_once(std::string_view url, Operation operation);

    ConnectOptions m_options;
    std::optional<AgentClient> m_client;
    // An agent that could not be reached or started is not tried again in this process: NuGet
    // asks once per request, and each attempt could take the whole start timeout.
    std::optional<Error> m_connect_error;
};

// The feedz-agent executable next to this program (/proc/self/exe's directory, as installed),
// else the first in an absolute PATH directory; empty when there is none (a running agent is
// still used).
std::string find_agent_executable();

} // namespace feedz::nuget
