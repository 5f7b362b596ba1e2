// SPDX-License-Identifier: MIT
#pragma once

#include <agent/core/token_set.hpp>
#include <agent/store/secret_store.hpp>

#include <optional>
#include <string_view>
#include <vector>

namespace feedz {

// Read-only tokens from the environment, for CI (no keychain, no agent):
//   FEEDZ_PAT          one token for every feed on https://f.feedz.io/
//   FEEDZ_CREDENTIALS  [{"feed": "<URL prefix or org/repo>", "token": "...", "access": "read"}]
// Both may be set; selection then works as for stored tokens (longest prefix first).
class EnvStore final : public SecretStore {
public:
    // Parses the two values; either may be absent. Messages never quote a token.
    static Result<EnvStore> create(std::optional<std::string_view> pat,
                                   std::optional<std::string_view> credentials);

    // create() with the values of FEEDZ_PAT and FEEDZ_CREDENTIALS.
    static Result<EnvStore> from_environment();

    const char* kind() const override { return "env"; }

    bool empty() const { return m_tokens.size() == 0; }

    Result<std::optional<StoredToken>> get(std::string_view name) override;
    Result<void> put(const StoredToken& token) override;
    Result<bool> erase(std::string_view name) override;
    Result<std::vector<TokenInfo>> list() override;

    // The tokens, for selection.
    const TokenSet& tokens() const { return m_tokens; }

private:
    TokenSet m_tokens;
};

} // namespace feedz
