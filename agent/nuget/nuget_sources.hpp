// SPDX-License-Identifier: MIT
#pragma once

#include <agent/util/result.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace feedz {

// A package source defined in a NuGet config file.
struct NuGetSourceDefinition {
    std::string key;
    std::string url; // as written; empty when the element has no value
    std::string file;
    std::size_t line = 0;
};

struct NuGetSourceDefinitions {
    std::vector<NuGetSourceDefinition> sources;
    std::vector<std::string> disabled; // keys a <disabledPackageSources> switches off
};

// The NuGet.Config files NuGet reads for a project in `directory`, nearest first
// (NuGet.Configuration's Settings.LoadSettings): in each directory from `directory` up to /,
// the first of nuget.config, NuGet.config and NuGet.Config; then the user's
// HOME/.nuget/NuGet/NuGet.Config and HOME/.nuget/NuGet/config/*.config (`home` as
// NuGetConfig::home_directory()); then the machine-wide
// $NUGET_COMMON_APPLICATION_DATA/NuGet/Config/*.config (by default /etc/opt/NuGet/Config).
// With `config_files` (--configfile), NuGet reads those and nothing else. Only files that
// exist are listed, each once.
std::vector<std::string> nuget_config_files(const std::string& directory,
                                            const std::string& home,
                                            const std::vector<std::string>& config_files = {});

// The files named nuget.config in any case in and below `directory`, where the projects of a
// solution keep their own; .git, node_modules, bin and obj are skipped, symbolic links not
// followed, directories we may not read passed over. nullopt when the walk fails or there are
// more than `max_entries` directory entries to look at: the answer would be incomplete.
std::optional<std::vector<std::string>> nuget_configs_below(const std::string& directory,
                                                            std::size_t max_entries = 200000);

// Every source definition and disabled key in `files`. Element and attribute names are
// compared without case, as NuGet compares them, and any element with a key under
// <packageSources> counts: a definition missed here could send a credential meant for one
// URL to another. A file that cannot be parsed is an error naming file and line.
Result<NuGetSourceDefinitions> nuget_source_definitions(const std::vector<std::string>& files);

} // namespace feedz
