// SPDX-License-Identifier: MIT
// What login and logout do to NuGet's configuration.
#pragma once

#include <agent/config/registration.hpp>
#include <agent/util/result.hpp>

#include <string>
#include <vector>

namespace feedz {

// Whether login will touch NuGet's configuration at all with these arguments.
bool nuget_wanted(const Arguments& arguments);

// The v3 source in the user-level NuGet.Config, without credentials.
Result<void> register_with_nuget(Registration& registration);

// Removes what `released` (entries no token owns any more) describes from the files; entries
// of kinds NuGet does not know are left to the others. Notes say what was removed.
Result<void> unregister_from_nuget(const std::vector<ManagedEntry>& released,
                                   std::vector<std::string>& notes);

// The login options NuGet adds, for the command table and its help.
std::vector<OptionSpec> nuget_login_options();

} // namespace feedz
