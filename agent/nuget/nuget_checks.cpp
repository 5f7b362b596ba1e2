// SPDX-License-Identifier: MIT
#include "nuget_checks.hpp"

#include <agent/config/managed_state.hpp>
#include <agent/core/environment.hpp>
#include <agent/core/paths.hpp>
#include <agent/nuget/nuget_config.hpp>
#include <agent/util/file.hpp>
#include <agent/util/process.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <set>
#include <utility>

namespace feedz {

std::vector<NuGetFinding> nuget_plugin_findings(const Environment& environment) {
    std::vector<NuGetFinding> findings;
    auto add = [&](NuGetFinding::Level level, std::string message, std::string fix = "") {
        findings.push_back({level, std::move(message), std::move(fix)});
    };
    const std::string name = "nuget-plugin-feedz";
    std::string beside = program_beside_own_executable(name);
    if (auto netcore = environment.get("NUGET_NETCORE_PLUGIN_PATHS")) {
        add(NuGetFinding::Level::failure,
            "NUGET_NETCORE_PLUGIN_PATHS is set: NuGet runs what it lists through `dotnet` and "
            "stops looking on PATH, so it cannot run "
                + name,
            "unset NUGET_NETCORE_PLUGIN_PATHS, or set NUGET_PLUGIN_PATHS to a list that includes "
                + beside);
        return findings;
    }
    if (auto paths = environment.get("NUGET_PLUGIN_PATHS")) {
        for (std::size_t start = 0; start <= paths->size();) {
            std::size_t end = std::min(paths->find(':', start), paths->size());
            std::string entry = paths->substr(start, end - start);
            start = end + 1;
            std::string candidate =
                entry.ends_with("/" + name) || entry == name ? entry : entry + "/" + name;
            if (!entry.empty() && ::access(candidate.c_str(), X_OK) == 0) {
                add(NuGetFinding::Level::ok,
                    name + " is listed in NUGET_PLUGIN_PATHS (" + candidate + ")");
                return findings;
            }
        }
        add(NuGetFinding::Level::failure,
            "NUGET_PLUGIN_PATHS is set, which stops NuGet from looking on PATH, and it does not "
            "list "
                + name,
            "add " + beside + " to NUGET_PLUGIN_PATHS, or unset it");
        return findings;
    }
    // NuGet looks in the absolute entries of PATH only.
    auto path = environment.get("PATH").value_or("");
    for (const auto& directory : path_directories(path, PathSearch::absolute_only)) {
        std::string candidate = directory + "/" + name;

        struct stat st {};

        if (::stat(candidate.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
            continue;
        }
        if ((st.st_mode & 0111) == 0) {
            add(NuGetFinding::Level::failure,
                candidate + " is on PATH but not executable",
                "chmod +x " + candidate);
            return findings;
        }
        add(NuGetFinding::Level::ok,
            name + " is on PATH (" + candidate + "), where dotnet finds it");
        // Measured in tests/bench/run-nuget-restore-bench.sh (see helpers/nuget/README.md).
        add(NuGetFinding::Level::info,
            "NuGet lists every PATH directory to find " + name
                + " on each restore that needs a token",
            "export NUGET_PLUGIN_PATHS=" + candidate + " to skip that walk");
        return findings;
    }
    add(NuGetFinding::Level::failure,
        name + " is not on PATH, so dotnet restore cannot ask for tokens",
        "add " + parent_directory(beside) + " to PATH (or install with installers/install.sh)");
    return findings;
}

std::vector<NuGetFinding> nuget_source_findings(Agent* agent) {
    std::vector<NuGetFinding> findings;
    auto add = [&](NuGetFinding::Level level, std::string message, std::string fix = "") {
        findings.push_back({level, std::move(message), std::move(fix)});
    };
    auto state = ManagedState::load(managed_state_path());
    if (!state) {
        add(NuGetFinding::Level::failure, state.error().message);
        return findings;
    }
    std::set<std::pair<std::string, std::string>> sources;
    for (const auto& entry : state->entries()) {
        if (entry.kind == "nuget-source") {
            sources.insert({entry.file, entry.key + "\n" + entry.value});
        }
    }
    for (const auto& [file, key_and_url] : sources) {
        std::string key = key_and_url.substr(0, key_and_url.find('\n'));
        std::string url = key_and_url.substr(key_and_url.find('\n') + 1);
        auto config = NuGetConfig::load(file);
        if (!config) {
            add(NuGetFinding::Level::failure, config.error().message, "fix the file");
            continue;
        }
        if (config->created() || !config->key_of_url(url)) {
            add(NuGetFinding::Level::failure,
                "source '" + key + "' (" + url + ") is no longer in " + display_path(file),
                "run feedz-agent login again for its feed");
            continue;
        }
        std::string where = "source '" + key + "' in " + display_path(file);
        if (config->is_disabled(key)) {
            add(NuGetFinding::Level::failure,
                where + " is disabled",
                "dotnet nuget enable source \"" + key + "\"");
        } else if (config->uses_source_mapping() && !config->has_mapping(key)) {
            add(NuGetFinding::Level::failure,
                where + " has no packageSourceMapping entry, so it serves no package",
                "feedz-agent login --feed " + url + " --nuget-pattern 'PATTERN'");
        } else if (auto line = config->credentials_line(key)) {
            add(NuGetFinding::Level::failure,
                where + ": line " + std::to_string(*line)
                    + " has credentials for it, which NuGet uses instead of the plugin",
                "remove that <packageSourceCredentials> entry");
        } else if (agent != nullptr) {
            auto lookup = agent->get(url, Operation::read);
            if (lookup && lookup->token) {
                add(NuGetFinding::Level::ok,
                    where + " gets token '" + lookup->token->name + "' (" + lookup->token->display()
                        + ")");
            } else if (lookup) {
                add(NuGetFinding::Level::failure,
                    where + " has no usable token",
                    "feedz-agent login --feed " + url);
            }
        }
    }
    return findings;
}

} // namespace feedz
