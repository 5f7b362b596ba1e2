// SPDX-License-Identifier: MIT
#pragma once

#include <agent/ipc/agent.hpp>
#include <agent/ipc/protocol.hpp>
#include <agent/ipc/wire.hpp>
#include <agent/util/result.hpp>
#include <agent/util/secret_string.hpp>

#include <optional>
#include <string>
#include <vector>

namespace feedz {

// How connect() finds and, if needed, starts the agent.
struct ConnectOptions {
    std::string socket_path;
    // The feedz-agent executable to run `serve --on-demand` with when no agent answers;
    // empty = never start one.
    std::string agent_executable;
    std::chrono::milliseconds start_timeout{5000};
};

// A connection to the per-user agent (the Agent interface over its socket). One request at a time;
// keep it for many: after a pause it connects again by itself, as the agent closes connections left
// unused.
class AgentClient final : public Agent {
public:
    static Result<AgentClient> connect(const ConnectOptions& options);

    const Greeting& greeting() const override { return m_greeting; }

    Result<TokenLookup> get(std::string_view url,
                            Operation operation,
                            std::optional<std::string_view> name = std::nullopt) override;
    Result<std::optional<std::string>> store(const TokenInfo& info,
                                             const SecretString& secret) override;
    Result<bool> erase(std::string_view name) override;
    Result<std::size_t> erase_all() override;
    Result<std::vector<TokenInfo>> list() override;
    Result<TokenInfo> set_disabled(std::string_view name, bool disabled) override;
    Result<StatusReply> status() override;
    Result<void> stop() override;

private:
    friend Result<AgentClient> connect_to_running_agent(const std::string& socket_path);

    // One attempt: connect, check the peer and read the greeting.
    static Result<AgentClient> connect_once(const std::string& socket_path);

    // Connects, trying again for a while when the agent is busy (all its connections taken);
    // Errc::timeout when it stayed busy.
    static Result<AgentClient> connect_while_busy(const std::string& socket_path);

    AgentClient(MessageChannel channel, std::string socket_path)
        : m_channel(std::move(channel))
        , m_socket_path(std::move(socket_path)) {}

    // Sends a request and returns the successful reply (errors become an Error).
    Result<Message> call(const nlohmann::json& request, const SecretString* secret = nullptr);

    // call(), then reads the reply as a `Reply`.
    template <typename Reply>
    Result<Reply> ask(const nlohmann::json& request, const SecretString* secret = nullptr);

    MessageChannel m_channel;
    std::string m_socket_path;
    Greeting m_greeting;
    // When the agent last answered (or greeted): see k_client_reconnect_after.
    std::chrono::steady_clock::time_point m_last_reply = std::chrono::steady_clock::now();
};

// Connects to `socket_path` without starting anything; Errc::agent_unavailable when nothing
// listens there.
Result<AgentClient> connect_to_running_agent(const std::string& socket_path);

} // namespace feedz
