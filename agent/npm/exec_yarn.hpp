// SPDX-License-Identifier: MIT
// `feedz-agent exec`'s part for yarn berry, which ignores .npmrc: the variables its
// .yarnrc.yml entries for our registries name, and the registry `yarn npm publish` writes to.
#pragma once

#include <agent/npm/exec_npm.hpp>
#include <agent/npm/npm_files.hpp>
#include <agent/npm/yarnrc.hpp>
#include <agent/util/result.hpp>
#include <agent/util/secret_string.hpp>

#include <optional>
#include <string>
#include <vector>

namespace feedz {

// The .yarnrc.yml files yarn berry reads, lowest precedence first: ~/.yarnrc.yml, then each
// .yarnrc.yml from the filesystem root down to `cwd`. A file that cannot be read is an error.
Result<std::vector<YarnRc>> load_yarn_configs(const std::string& cwd, const std::string& home);

// NAME=value for each ${NAME} that an npmAuthIdent or npmAuthToken of our registries names (in
// npmRegistries, or in npmScopes whose npmRegistryServer is ours): "feedz:<token>" for
// npmAuthIdent (berry sends it as Basic); empty for npmAuthToken, which berry would send as
// Bearer (Feedz refuses it) and, empty, lets berry use npmAuthIdent. Variables set already
// (in `environment`, or named in `taken`) are left alone: the user's own value wins.
std::vector<SecretString> yarn_auth_variables(const std::vector<YarnRc>& configs,
                                              const NpmEnvironment& environment,
                                              const std::vector<NpmFeedCredential>& credentials,
                                              const std::vector<SecretString>& taken);

// Whether `command` is yarn berry's `yarn npm …` (publish, tag), which berry alone has.
bool is_yarn_npm_command(const std::vector<std::string>& command);

// The registry `yarn npm publish` in `cwd` writes to, found as berry finds it: the package's
// publishConfig.registry, its scope's npmPublishRegistry, then npmPublishRegistry, then
// npmRegistryServer (the last file that sets one wins).
std::string yarn_write_registry(const std::vector<YarnRc>& configs, const std::string& cwd);

} // namespace feedz
