// SPDX-License-Identifier: MIT
#include "agent_source.hpp"

#include <agent/core/environment.hpp>
#include <agent/util/file.hpp>
#include <agent/util/process.hpp>

namespace feedz::nuget {

namespace {

constexpr const char* k_agent_name = "feedz-agent";

bool is_connection_error(Errc code) {
    return code == Errc::agent_unavailable || code == Errc::io_error || code == Errc::timeout
           || code == Errc::protocol_error;
}

} // namespace

Result<TokenLookup> AgentSource::lookup(std::string_view url, Operation operation) {
    bool connected_before = m_client.has_value();
    auto result = lookup_once(url, operation);
    if (result || !connected_before || !is_connection_error(result.error().code)) {
        return result;
    }
    // The connection kept from an earlier look-up may have gone stale (the agent restarted):
    // connect again, once.
    m_client.reset();
    return lookup_once(url, operation);
}

Result<TokenLookup> AgentSource::lookup_once(std::string_view url, Operation operation) {
    if (!m_client) {
        if (m_connect_error) {
            return *m_connect_error;
        }
        auto client = AgentClient::connect(m_options);
        if (!client) {
            m_connect_error = client.error();
            return client.error();
        }
        m_client.emplace(std::move(*client));
    }
    return m_client->get(url, operation);
}

std::string find_agent_executable() {
    if (auto self = own_executable()) {
        std::string beside = parent_directory(*self) + "/" + k_agent_name;
        if (is_executable_file(beside)) {
            return beside;
        }
    }
    // Absolute entries only: NuGet starts us in the project's directory, where a relative entry
    // could find a feedz-agent anyone put there.
    return find_program(k_agent_name, get_env("PATH").value_or(""), PathSearch::absolute_only)
        .value_or("");
}

} // namespace feedz::nuget
