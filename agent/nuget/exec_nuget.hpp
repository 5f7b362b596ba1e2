// SPDX-License-Identifier: MIT
#pragma once

#include <agent/core/feed.hpp>
#include <agent/ipc/agent.hpp>
#include <agent/util/secret_string.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace feedz {

// The prefix of the variables dotnet and nuget.exe read a source's credentials from.
inline constexpr std::string_view k_nuget_credentials_variable = "NuGetPackageSourceCredentials_";

// `feedz-agent exec`'s NuGet half: for each source of the NuGet config files that `command`
// will read in `cwd` whose URL a stored token covers (only those inside `feeds`, when given),
// "NuGetPackageSourceCredentials_KEY=Username=feedz;Password=TOKEN;ValidAuthenticationTypes=basic",
// NUL-terminated, ready for the child's environment. NuGet then sends the token with its first
// retry after the 401, as with a password in NuGet.Config, and starts no credential plugin.
//
// The variable binds the token to a source's key, not its URL. `dotnet nuget push|delete`
// read a set of config files that can be known in advance, so they always get variables
// (a Read/Write or Full token for their source; when only a weaker one exists, the error says
// so). Anything that runs MSBuild reads config files per project, including ones MSBuild
// properties name, which no list made beforehand can be sure to include: one that gave a
// key another URL would get the token. Those commands get variables only with
// `for_msbuild` (exec --nuget-env), and never for a key two files we read disagree on.
// `is_set` tells which variables the user set already: theirs win.
struct NuGetCredentialOptions {
    std::vector<Feed> feeds; // --feed: only sources inside these; empty: every source
    bool for_msbuild = false;
};

Result<std::vector<SecretString>>
nuget_credential_variables(Agent& agent,
                           const std::vector<std::string>& command,
                           const std::string& cwd,
                           const std::string& home,
                           const NuGetCredentialOptions& options,
                           const std::function<bool(std::string_view)>& is_set);

// "NAME=VALUE" for the child when it gets credential variables: no MSBuild node reuse, no
// MSBuild server and no shared compiler server, each of which would outlive the command with
// the token in its environment. A setting the user made (`is_set`) is kept.
std::vector<std::string>
settings_against_lingering_processes(const std::function<bool(std::string_view)>& is_set);

} // namespace feedz
