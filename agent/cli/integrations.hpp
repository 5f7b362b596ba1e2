// SPDX-License-Identifier: MIT
#pragma once

#include <agent/cli/arguments.hpp>
#include <agent/config/managed_state.hpp>
#include <agent/core/feed.hpp>
#include <agent/core/token.hpp>
#include <agent/util/result.hpp>
#include <agent/util/secret_string.hpp>

#include <string>
#include <vector>

namespace feedz::cli {

// What `login` hands each package manager's integration once the token is stored: register
// the feeds in that package manager's configuration, record every entry written in `state`
// (so that logout removes exactly that), and add lines for the user to `notes`.
struct Registration {
    const TokenInfo& token;
    const std::vector<Feed>& feeds;
    const SecretString& secret;
    const Arguments& arguments;
    ManagedState& state;
    std::vector<std::string>& notes;
};

// Checks the npm options before anything is stored (a bad --npm mode or --npm-scope).
Result<void> check_npm_arguments(const Arguments& arguments, std::size_t feed_count);

// Whether login will touch NuGet's or npm's configuration at all with these arguments.
bool nuget_wanted(const Arguments& arguments);
bool npm_wanted(const Arguments& arguments);

// NuGet: the v3 source in the user-level NuGet.Config, without credentials (nuget_login.cpp).
Result<void> register_with_nuget(Registration& registration);

// npm: the .npmrc line (userconfig mode) or nothing at rest (exec mode) (npm_login.cpp).
Result<void> register_with_npm(Registration& registration);

// Removes what `released` (entries no token owns any more) describes from the files; entries
// of kinds an integration does not know are left to the others. Notes say what was removed.
Result<void> unregister_from_nuget(const std::vector<ManagedEntry>& released,
                                   std::vector<std::string>& notes);
Result<void> unregister_from_npm(const std::vector<ManagedEntry>& released,
                                 std::vector<std::string>& notes);

// The login options each integration adds, for the command table and its help.
std::vector<OptionSpec> nuget_login_options();
std::vector<OptionSpec> npm_login_options();

} // namespace feedz::cli
