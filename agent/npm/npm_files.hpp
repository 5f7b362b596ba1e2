// SPDX-License-Identifier: MIT
#pragma once

#include <agent/npm/npmrc.hpp>
#include <agent/util/result.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace feedz {

// The environment as npm reads it. Values are viewed, never copied: some hold tokens.
class NpmEnvironment {
public:
    // From "NAME=value" strings, which must outlive this object.
    explicit NpmEnvironment(const char* const* entries);

    // From a copy of `entries` (tests).
    explicit NpmEnvironment(std::vector<std::string> entries);

    NpmEnvironment(NpmEnvironment&&) noexcept = default;
    NpmEnvironment& operator=(NpmEnvironment&&) noexcept = default;
    NpmEnvironment(const NpmEnvironment&) = delete;
    NpmEnvironment& operator=(const NpmEnvironment&) = delete;

    // The process's own environment.
    static NpmEnvironment current();

    // NAME's value; set-but-empty is a value, as it is to npm's ${NAME}.
    std::optional<std::string_view> get(std::string_view name) const;

    // The config `key` from npm_config_* variables: the prefix in any case, the rest lower
    // case with '_' as '-' (keys starting with "//" verbatim); empty ones ignored; last wins.
    std::optional<std::string_view> config(std::string_view key) const;

    // The config key an npm_config_* variable `name` sets, if it is one.
    static std::optional<std::string> config_key(std::string_view name);

    // Whether `name` is an npm_config_* spelling of `key`.
    static bool names_config(std::string_view name, std::string_view key) {
        return config_key(name) == key;
    }

    const std::vector<std::pair<std::string_view, std::string_view>>& variables() const {
        return m_variables;
    }

private:
    void add(std::string_view entry);

    std::vector<std::string> m_owned; // what m_variables views, when not environ
    std::vector<std::pair<std::string_view, std::string_view>> m_variables;
};

// The config files npm 11 reads, found as npm finds them (without running npm, which takes
// a tenth of a second):
//   project  <localPrefix>/.npmrc, localPrefix being the nearest ancestor of the working
//            directory with a package.json or node_modules (else the directory itself);
//            skipped when it is the user file. Workspace roots are not looked for.
//   user     npm_config_userconfig, else the project file's userconfig=, else ~/.npmrc
//   global   npm_config_globalconfig, else globalconfig= (project, user), else
//            PREFIX/etc/npmrc with PREFIX from npm_config_prefix, the user file's prefix=,
//            $PREFIX, or the node on PATH (/usr/bin/node -> /usr), as npm derives it
struct NpmConfigs {
    std::string local_prefix;
    std::optional<Npmrc> project;
    Npmrc user;
    std::optional<Npmrc> global;
    // Files that exist but could not be read (path, why); npm reads them, so callers say so.
    std::vector<std::pair<std::string, Error>> unreadable;

    // The files in npm's precedence, highest first.
    std::vector<const Npmrc*> files() const;

    // A setting as npm resolves it from the environment and the files, placeholders
    // expanded. For settings that hold no secret.
    std::optional<std::string> value(std::string_view key, const NpmEnvironment& environment) const;
};

// Reads the files npm would read when started in `cwd`. A user file npm cannot read either is
// an error; a project or global one is listed in `unreadable`.
Result<NpmConfigs> load_npm_configs(const std::string& cwd,
                                    const NpmEnvironment& environment,
                                    const std::string& home);

// The user config file: npm_config_userconfig, else ~/.npmrc (login writes there; a project's
// userconfig= redirect is not followed, so that where login writes does not depend on the
// directory it runs in).
std::string npm_user_config_path(const NpmEnvironment& environment,
                                 const std::string& home,
                                 const std::string& cwd);

// npm's localPrefix for `cwd` (see NpmConfigs).
std::string npm_local_prefix(const std::string& cwd);

// A path-valued setting resolved the way npm does: placeholders, a leading ~/, relative to `cwd`.
std::string npm_resolve_path(std::string_view value,
                             const NpmEnvironment& environment,
                             const std::string& home,
                             const std::string& cwd);

// What a package.json says about where a publish goes.
struct PackageManifest {
    std::string name;                                  // "" when it has none
    std::map<std::string, std::string> publish_config; // publishConfig's string members
};

// The package.json in `directory`, if there is one that parses as a JSON object.
std::optional<PackageManifest> read_package_manifest(const std::string& directory);

} // namespace feedz
