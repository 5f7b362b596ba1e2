// SPDX-License-Identifier: MIT
#pragma once

#include <agent/core/token.hpp>

#include <optional>
#include <string>
#include <vector>

namespace feedz {

// What a command run through `feedz-agent exec` does with NuGet sources, read from its command
// line the way dotnet (or nuget.exe) reads it, so that each source gets the least privileged
// token.
struct NuGetCommandPlan {
    std::string tool;                      // "dotnet", "nuget", or another program's name
    std::string verb;                      // "push" or "delete" when it is one of those
    Operation operation = Operation::read; // push writes; delete needs Full on Feedz
    std::optional<std::string> source;     // -s/--source of a push or delete: a URL or a key
    std::vector<std::string> config_files; // --configfile FILE: read instead of the usual chain
    // MSBuild's -p:RestoreRootConfigDirectory=DIR: where restore starts its walk up.
    std::optional<std::string> root_config_directory;
};

// Reads `command` (COMMAND ARG...). `dotnet nuget push|delete` and `nuget push|delete` write
// or delete; everything else, and every other program, reads. The config files come from
// --configfile or MSBuild's -p:RestoreConfigFile=FILE, which restore honours the same way.
NuGetCommandPlan plan_nuget_command(const std::vector<std::string>& command);

} // namespace feedz
