// SPDX-License-Identifier: MIT
#pragma once

#include <agent/util/result.hpp>

#include <string>
#include <vector>

namespace feedz {

// A package source as NuGet sees it after merging its config files.
struct NuGetSource {
    std::string key;
    std::string url;
    std::string file; // the file that defines it
};

// The NuGet.Config files NuGet reads for a project in `directory`, nearest first
// (NuGet.Configuration's Settings.LoadSettings): in each directory from `directory` up to /,
// the first of nuget.config, NuGet.config and NuGet.Config; then the user's
// HOME/.nuget/NuGet/NuGet.Config and HOME/.nuget/NuGet/config/*.config (`home` as
// NuGetConfig::home_directory()); then the machine-wide
// $NUGET_COMMON_APPLICATION_DATA/NuGet/Config/*.config (by default /etc/opt/NuGet/Config).
// With `config_files` (--configfile), NuGet reads those and nothing else. Only files that
// exist are listed.
std::vector<std::string> nuget_config_files(const std::string& directory,
                                            const std::string& home,
                                            const std::vector<std::string>& config_files = {});

// The enabled sources `files` (nearest first) define, merged as NuGet merges them: the nearest
// definition of a key wins, a <clear /> hides the files after it. A file that cannot be parsed
// is an error naming file and line (NuGet refuses to run with it too).
Result<std::vector<NuGetSource>> merged_nuget_sources(const std::vector<std::string>& files);

} // namespace feedz
