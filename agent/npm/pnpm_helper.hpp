// SPDX-License-Identifier: MIT
// pnpm's tokenHelper: `login --npm pnpm-helper` gives each feed a generated script that runs
// `feedz-agent token-helper --feed FEED`, and names it in pnpm's global auth.ini, so that plain
// pnpm (11 and later) asks the agent for the credential and none is kept at rest. npm does not
// read auth.ini (in ~/.npmrc it warns "Unknown user config" about the line on every command).
#pragma once

#include <agent/config/managed_state.hpp>
#include <agent/config/registration.hpp>
#include <agent/core/feed.hpp>
#include <agent/core/token.hpp>
#include <agent/npm/exec_npm.hpp>
#include <agent/npm/npmrc.hpp>
#include <agent/util/result.hpp>
#include <agent/util/secret_string.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace feedz {

// pnpm's global auth file: $XDG_CONFIG_HOME/pnpm/auth.ini (default ~/.config/pnpm/auth.ini).
std::string pnpm_auth_ini_path();

// Where the helper scripts go: $XDG_DATA_HOME/feedz-agent/pnpm-token-helpers.
std::string pnpm_helper_directory();

// Writes the helper script of each feed and its `//host/org/repo/npm/:tokenHelper=` line in
// auth.ini; records both. A tokenHelper line for the feed that login did not write is left
// alone, with a warning.
Result<void> register_pnpm_helpers(Registration& registration);

// Another mode for the same token and feeds: takes back what an earlier pnpm-helper login wrote
// for them, unless another token still uses it (the helper would serve pnpm a Read token
// instead of the credential the new mode gives).
Result<void> withdraw_pnpm_helpers(Registration& registration);

// Removes the lines and scripts in `released` that still read as login wrote them.
Result<void> unregister_pnpm_helpers(const std::vector<ManagedEntry>& released,
                                     std::vector<std::string>& notes);

// Whether `entry` (a tokenHelper line of `config`) is one login wrote and still reads so.
bool is_our_token_helper(const ManagedState& state, const Npmrc& config, const NpmrcEntry& entry);

// "FEEDZ_AGENT_EXEC_ACCESS=ROOT=OPERATION ..." for exec's command: for each feed, what it
// chose a token for. A token helper that pnpm runs under exec asks for the same, so that
// `exec -- pnpm publish` sends the Read/Write token exec chose rather than a Read one.
std::string exec_access_variable(const std::vector<NpmFeedCredential>& credentials);

// The operation exec chose for `feed`, read from the variable's value; read when none.
Operation exec_access_for(const Feed& feed, std::optional<std::string_view> value);

// The Authorization header value pnpm takes from a helper: "Basic " + base64("feedz:" + token).
SecretString pnpm_authorization(std::string_view token);

} // namespace feedz
