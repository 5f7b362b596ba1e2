// SPDX-License-Identifier: MIT
#pragma once

#include <agent/npm/npm_files.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace feedz {

// Something in the user's npm configuration that breaks npm or overrides the credentials
// feedz-agent supplies, with where it is and what to do about it.
struct NpmFinding {
    std::string file;
    std::size_t line = 0; // 0: the file as a whole
    std::string problem;
    std::string fix;

    friend bool operator==(const NpmFinding&, const NpmFinding&) = default;
};

// Checks the files npm reads (project, user, global, in that order) for:
//   - an unscoped _authToken, _auth, username or _password: npm 11 refuses every command;
//   - a literal credential for one of `registries` in the project file: it beats ours;
//   - an _authToken for one of `registries` anywhere: npm prefers it to our Basic `_auth`;
//   - a registry URL with a path but no trailing slash: publish cannot find credentials;
//   - a ${NAME} placeholder whose variable is unset: npm uses the text itself;
//   - always-auth, which npm 11 no longer knows and warns about on every command;
//   - a file npm reads but we could not.
// `registries` are the npm URLs of feedz-agent's feeds ("https://host/org/repo/npm/").
std::vector<NpmFinding> npm_preflight(const NpmConfigs& configs,
                                      const std::vector<std::string>& registries,
                                      const NpmEnvironment& environment);

// "~/.npmrc:3: PROBLEM; fix: FIX" (the home directory shown as ~).
std::string format_npm_finding(const NpmFinding& finding, const std::string& home);

} // namespace feedz
