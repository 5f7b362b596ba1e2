// SPDX-License-Identifier: MIT
#pragma once

#include <agent/core/token.hpp>
#include <agent/core/token_set.hpp>
#include <agent/ipc/protocol.hpp>
#include <agent/util/result.hpp>
#include <agent/util/secret_string.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace feedz {

// The requests a client makes of the agent. AgentClient sends them over the socket; the
// commands' unit tests hand them a fake (tests/unit/support/fake_agent.hpp).
class Agent {
public:
    virtual ~Agent() = default;

    virtual const Greeting& greeting() const = 0;

    // The token for `operation` on `url` (only the token `name`, when given).
    virtual Result<TokenLookup> get(std::string_view url,
                                    Operation operation,
                                    std::optional<std::string_view> name = std::nullopt) = 0;

    // Stores a token (the agent sets its prefix and creation time). Returns the name of
    // another token that is the same token, if there is one.
    virtual Result<std::optional<std::string>> store(const TokenInfo& info,
                                                     const SecretString& secret) = 0;

    // Removes the token `name`; false when there was none.
    virtual Result<bool> erase(std::string_view name) = 0;

    // Removes every token; returns how many there were.
    virtual Result<std::size_t> erase_all() = 0;

    virtual Result<std::vector<TokenInfo>> list() = 0;

    // Marks `name` disabled (kept, never served) or enabled; returns its new metadata.
    virtual Result<TokenInfo> set_disabled(std::string_view name, bool disabled) = 0;

    virtual Result<StatusReply> status() = 0;

    // Asks the agent to exit.
    virtual Result<void> stop() = 0;

protected:
    Agent() = default;
    Agent(const Agent&) = default;
    Agent(Agent&&) = default;
    Agent& operator=(const Agent&) = default;
    Agent& operator=(Agent&&) = default;
};

} // namespace feedz
