// SPDX-License-Identifier: MIT
#pragma once

#include "credential_source.hpp"
#include <agent/core/env_credentials.hpp>

#include <optional>

namespace feedz::nuget {

// Tokens from FEEDZ_PAT and FEEDZ_CREDENTIALS: CI, where there is no keychain and no agent.
class EnvSource final : public CredentialSource {
public:
    // `tokens` as parse_env_credentials() returned them: a parse error is reported on every
    // look-up.
    explicit EnvSource(Result<TokenSet> tokens);

    // True when FEEDZ_PAT or FEEDZ_CREDENTIALS is set. The environment is then the only source:
    // a CI job must never start an agent or touch a keychain.
    static bool configured();

    std::string_view description() const override { return "FEEDZ_PAT/FEEDZ_CREDENTIALS"; }

    bool from_environment() const override { return true; }

    Result<TokenLookup> lookup(std::string_view url, Operation operation) override;

private:
    std::optional<TokenSet> m_tokens;
    Error m_error;
};

} // namespace feedz::nuget
