// SPDX-License-Identifier: MIT
#pragma once

#include <agent/core/selection.hpp>
#include <agent/core/token.hpp>

#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace feedz {

// A token that covers a URL but was passed over, and why.
struct RejectedTokenInfo {
    TokenInfo token;
    Rejection reason;
};

// The answer to "which token for this URL and operation?".
struct TokenLookup {
    std::optional<TokenInfo> token; // empty: none (not an error)
    SecretString secret;
    std::vector<RejectedTokenInfo> rejected;
};

// Tokens held in memory for look-ups: metadata and secrets side by side, so that selection
// runs over the metadata without copying it.
class TokenSet {
public:
    // Adds `token`, replacing a token of the same name.
    void put(StoredToken token);

    bool erase(std::string_view name);

    void clear();

    const TokenInfo* find(std::string_view name) const;

    // The secret of the token `name`, or nullptr.
    const SecretString* secret(std::string_view name) const;

    std::span<const TokenInfo> infos() const { return m_infos; }

    std::size_t size() const { return m_infos.size(); }

    // select_token() over the set (or only over the token `only_name`, when given), with the
    // chosen secret copied out.
    TokenLookup lookup(std::string_view url,
                       Operation operation,
                       Date today,
                       std::optional<std::string_view> only_name = std::nullopt) const;

private:
    std::optional<std::size_t> index_of(std::string_view name) const;

    std::vector<TokenInfo> m_infos;
    std::vector<SecretString> m_secrets;
};

} // namespace feedz
