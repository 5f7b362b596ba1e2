// SPDX-License-Identifier: MIT
#pragma once

#include <agent/core/token.hpp>
#include <agent/npm/npm_files.hpp>

#include <optional>
#include <string>
#include <vector>

namespace feedz {

// What a command run through `feedz-agent exec` does with a registry, read from its command
// line the way the package manager reads it, so that it gets the least privileged token.
struct NpmCommandPlan {
    std::string tool;                      // the client (npm, pnpm, yarn, bun) or program
    std::string verb;                      // the subcommand as resolved ("publish"), if any
    Operation operation = Operation::read; // what the command does to the registry it targets
    // Whether the command line tells what the command does: a known client and verb. A
    // program we do not know, or a script (npm run, pnpm release, yarn node), may do anything.
    bool classified = false;
    // What a write goes to, when the command line names it: a package spec ("@s/n@1.0.0"),
    // a directory or a tarball. Empty: the package in the current project.
    std::optional<std::string> target;
    std::optional<std::string> registry;  // --registry URL on the command line
    std::optional<std::string> directory; // the project's directory: -C, --prefix, --dir, --cwd
    bool many_packages = false;           // workspaces: -r, --filter, -ws, workspaces foreach
};

// Reads `command` (COMMAND ARG...) with each client's own option syntax (which options take a
// value), so that `yarn publish --new-version 1.0.1` publishes the current package.
// npm and pnpm: publish -> write, unpublish -> manage (Feedz lets only Full tokens delete),
// deprecate, undeprecate and dist-tag add/rm -> write; npm's aliases and unique abbreviations
// count ("npm pub"). yarn 1: publish, tag add/rm; yarn 4: npm publish, npm tag add/remove;
// bun: publish. npx, npm exec, pnpx, pnpm exec/dlx, yarn dlx/exec/workspace(s), bunx and
// bun x: what the program they run does. Everything else reads; scripts and unknown programs
// are not classified.
NpmCommandPlan plan_npm_command(const std::vector<std::string>& command);

// npm's resolution of a subcommand name (aliases, unique abbreviations, camelCase), or ""
// when npm would not recognise it.
std::string npm_resolve_verb(std::string_view word);

// The registry a write planned by `plan` goes to, found the way npm finds it: --registry,
// publishConfig.registry and the name in the package's package.json (or the spec given), the
// scope's @scope:registry, then registry. nullopt when it cannot be known without running npm
// (a tarball, whose package.json is inside it; several packages of a workspace).
std::optional<std::string> npm_write_registry(const NpmCommandPlan& plan,
                                              const NpmConfigs& configs,
                                              const NpmEnvironment& environment,
                                              const std::string& cwd);

} // namespace feedz
