// SPDX-License-Identifier: MIT
#pragma once

#include "credential_source.hpp"
#include <agent/store/env_store.hpp>

#include <optional>

namespace feedz::nuget {

// Tokens from FEEDZ_PAT and FEEDZ_CREDENTIALS: CI, where there is no keychain and no agent.
class EnvSource final : public CredentialSource {
public:
    // `store` as EnvStore::create() returned it: a parse error is reported on every look-up.
    explicit EnvSource(Result<EnvStore> store);

    // True when FEEDZ_PAT or FEEDZ_CREDENTIALS is set. The environment is then the only source:
    // a CI job must never start an agent or touch a keychain.
    static bool configured();

    std::string_view description() const override { return "FEEDZ_PAT/FEEDZ_CREDENTIALS"; }

    bool from_environment() const override { return true; }

    Result<TokenLookup> lookup(std::string_view url, Operation operation) override;

private:
    std::optional<EnvStore> m_store;
    Error m_error;
};

} // namespace feedz::nuget
