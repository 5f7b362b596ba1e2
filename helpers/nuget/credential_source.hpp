// SPDX-License-Identifier: MIT
#pragma once

#include <agent/core/token.hpp>
#include <agent/core/token_set.hpp>
#include <agent/util/result.hpp>

#include <string_view>

namespace feedz::nuget {

// Where the plugin's tokens come from: the environment (CI) or the agent. Injected into the
// broker, so the protocol can be tested with a fake.
class CredentialSource {
public:
    virtual ~CredentialSource() = default;

    // What the source is, for messages ("the agent", "FEEDZ_PAT/FEEDZ_CREDENTIALS").
    virtual std::string_view description() const = 0;

    // True for tokens from the environment, which the user fixes by changing variables rather
    // than with `feedz-agent` commands.
    virtual bool from_environment() const = 0;

    // The token for `operation` on `url` (normalised) and the tokens that cover the URL but were
    // passed over. Finding nothing is not an error; an Error means the source could not be asked
    // (no agent, a locked keychain, a malformed FEEDZ_CREDENTIALS) and says what to do.
    virtual Result<TokenLookup> lookup(std::string_view url, Operation operation) = 0;
};

} // namespace feedz::nuget
