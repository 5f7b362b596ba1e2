// SPDX-License-Identifier: MIT
// What login and logout do to yarn berry's configuration (~/.yarnrc.yml). Berry ignores .npmrc,
// so it gets entries of its own, and none holds a credential: the registry's npmAuthIdent names
// an environment variable that `feedz-agent exec -- yarn …` sets.
#pragma once

#include <agent/config/managed_state.hpp>
#include <agent/config/registration.hpp>
#include <agent/core/feed.hpp>
#include <agent/util/arguments.hpp>
#include <agent/util/result.hpp>

#include <optional>
#include <string>
#include <vector>

namespace feedz {

// Checks --yarn before anything is stored.
Result<void> check_yarn_arguments(const Arguments& arguments);

// Adds the feeds' registry entries (and, with a scope, the scope's route) to ~/.yarnrc.yml when
// --yarn berry asks for it, or by default when yarn berry is in use here (a .yarnrc.yml in the
// home directory, the current directory or above) and `npm_wanted`.
Result<void> register_with_yarn(Registration& registration,
                                const std::optional<std::string>& scope,
                                bool npm_wanted);

// Removes the yarn entries in `released` that still read as login wrote them.
Result<void> unregister_from_yarn(const std::vector<ManagedEntry>& released,
                                  std::vector<std::string>& notes);

// The environment variable a feed's npmAuthIdent entry names: FEEDZ_NPM_AUTH_<ORG>_<REPO>.
std::string yarn_auth_variable(const Feed& feed);

// The path of the user's yarn berry config: ~/.yarnrc.yml.
std::string yarn_user_config_path(const std::string& home);

} // namespace feedz
