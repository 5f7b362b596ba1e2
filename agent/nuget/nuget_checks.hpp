// SPDX-License-Identifier: MIT
// NuGet checks for `doctor`: whether dotnet finds nuget-plugin-feedz, and whether the sources
// login added are still there, usable and served by a token.
#pragma once

#include <agent/core/environment.hpp>
#include <agent/ipc/agent.hpp>

#include <string>
#include <vector>

namespace feedz {

// One thing a check found; `fix` says how to mend a failure.
struct NuGetFinding {
    enum class Level { ok, info, failure };

    Level level;
    std::string message;
    std::string fix;
};

// Where NuGet would look for nuget-plugin-feedz: NuGet 6.13+ scans PATH only when neither
// NUGET_PLUGIN_PATHS nor NUGET_NETCORE_PLUGIN_PATHS is set.
std::vector<NuGetFinding> nuget_plugin_findings(const Environment& environment);

// Each NuGet source login recorded in managed.json: still in its file, enabled, mapped when
// the file maps sources, without credentials of its own, and (with an `agent`) covered by a
// usable token.
std::vector<NuGetFinding> nuget_source_findings(Agent* agent);

} // namespace feedz
