// SPDX-License-Identifier: MIT
// What login and logout do to npm's configuration.
#pragma once

#include <agent/config/registration.hpp>
#include <agent/util/result.hpp>

#include <string>
#include <vector>

namespace feedz {

// Checks the npm options before anything is stored (a bad --npm mode or --npm-scope).
Result<void> check_npm_arguments(const Arguments& arguments, std::size_t feed_count);

// Whether login will touch npm's configuration at all with these arguments.
bool npm_wanted(const Arguments& arguments);

// The .npmrc line (userconfig mode) or nothing at rest (exec mode).
Result<void> register_with_npm(Registration& registration);

// Removes what `released` (entries no token owns any more) describes from the files; entries
// of kinds npm does not know are left to the others. Notes say what was removed.
Result<void> unregister_from_npm(const std::vector<ManagedEntry>& released,
                                 std::vector<std::string>& notes);

// The login options npm adds, for the command table and its help.
std::vector<OptionSpec> npm_login_options();

} // namespace feedz
