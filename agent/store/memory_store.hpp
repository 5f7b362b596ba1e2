// SPDX-License-Identifier: MIT
#pragma once

#include <agent/store/secret_store.hpp>

#include <map>
#include <mutex>
#include <string>

namespace feedz {

// Tokens in the agent's memory only, like ssh-agent: for SSH boxes and containers with no
// keychain. Nothing is written to disk; the tokens are gone when the agent stops.
class MemoryStore final : public SecretStore {
public:
    const char* kind() const override { return "memory"; }

    Result<std::optional<StoredToken>> get(std::string_view name) override;
    Result<void> put(const StoredToken& token) override;
    Result<bool> erase(std::string_view name) override;
    Result<std::vector<TokenInfo>> list() override;

private:
    std::mutex m_mutex;
    std::map<std::string, StoredToken, std::less<>> m_tokens;
};

} // namespace feedz
