// SPDX-License-Identifier: MIT
#pragma once

#include <agent/core/environment.hpp>
#include <agent/core/token_set.hpp>
#include <agent/util/result.hpp>

#include <optional>
#include <string_view>

namespace feedz {

// Read-only tokens from the environment, for CI (no keychain, no agent):
//   FEEDZ_PAT          one token for every feed on https://f.feedz.io/
//   FEEDZ_CREDENTIALS  [{"feed": "<URL prefix or org/repo>", "token": "...", "access": "read"}]
// Both may be set; selection then works as for stored tokens (longest prefix first).

// The tokens of the two values; either may be absent. Messages never quote a token.
Result<TokenSet> parse_env_credentials(std::optional<std::string_view> pat,
                                       std::optional<std::string_view> credentials);

// parse_env_credentials() with the values of FEEDZ_PAT and FEEDZ_CREDENTIALS in `environment`
// (our copies of them are wiped).
Result<TokenSet>
env_credentials_from_environment(const Environment& environment = process_environment());

} // namespace feedz
