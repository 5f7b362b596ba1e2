// SPDX-License-Identifier: MIT
#include <agent/core/paths.hpp>
#include <agent/npm/npmrc.hpp>
#include <agent/npm/yarn_login.hpp>
#include <agent/npm/yarnrc.hpp>
#include <agent/util/file.hpp>

#include <limits.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <map>

namespace feedz {

namespace {

constexpr const char* k_registry = "yarn-registry"; // npmRegistries."//host/org/repo/npm/"
constexpr const char* k_scope = "yarn-scope";       // npmScopes.<scope>
constexpr const char* k_section = "yarn-section";   // a section header login added
constexpr const char* k_file = "yarn-file";         // a file login created
constexpr const char* k_registries = "npmRegistries";
constexpr const char* k_scopes = "npmScopes";

enum class YarnMode { automatic, berry, none };

Result<YarnMode> yarn_mode(const Arguments& arguments) {
    auto mode = arguments.value("yarn").value_or("auto");
    if (mode == "auto") {
        return YarnMode::automatic;
    }
    if (mode == "berry") {
        return YarnMode::berry;
    }
    if (mode == "none") {
        return YarnMode::none;
    }
    return make_error(Errc::invalid_argument,
                      "unknown --yarn mode " + quote_argument(mode)
                          + ": use berry (entries in ~/.yarnrc.yml for yarn 2 and later), none, "
                            "or auto (berry when a .yarnrc.yml is found here or in ~)");
}

bool file_exists(const std::string& path) {
    return ::access(path.c_str(), F_OK) == 0;
}

// Whether yarn berry is in use here: a .yarnrc.yml in the home directory, or in the current
// directory or one above it.
bool berry_in_use(const std::string& home) {
    if (file_exists(yarn_user_config_path(home))) {
        return true;
    }
    char buffer[PATH_MAX];
    if (::getcwd(buffer, sizeof(buffer)) == nullptr) {
        return false;
    }
    for (std::string dir = buffer;; dir = parent_directory(dir)) {
        if (file_exists(dir + "/.yarnrc.yml")) {
            return true;
        }
        if (dir == "/" || dir == ".") {
            return false;
        }
    }
}

// The key berry would match `key` to in `section`: registries are compared without protocol
// and trailing slash, as berry does.
std::string comparable(const char* section, const std::string& key) {
    return std::string(section) == k_registries ? yarn_registry_key(key) : key;
}

// Adds `section`.`key` unless the file has it; records it (and the section, if added). An
// entry an earlier login wrote is shared with this token; one the user wrote is left alone.
Result<void> add_entry(Registration& registration,
                       YarnRc& config,
                       const char* kind,
                       const std::string& key,
                       const std::string& value,
                       const std::vector<YarnField>& fields,
                       const char* section,
                       const std::string& what) {
    const std::string& token = registration.token.name;
    for (const auto& existing : config.entries(section)) {
        if (comparable(section, existing.key) != comparable(section, key)) {
            continue;
        }
        if (auto ours = registration.state.find(kind, config.path(), existing.key)) {
            registration.state.add(
                {token, kind, config.path(), ours->key, ours->value, ours->written});
            if (registration.state.owned(k_section, config.path(), section)) {
                registration.state.add({token, k_section, config.path(), section, "", ""});
            }
        } else {
            registration.notes.push_back("Warning: yarn: " + display_path(config.path()) + " line "
                                         + std::to_string(existing.line) + " already has " + section
                                         + " entry " + quote_argument(existing.key)
                                         + "; it was left as it is" + what);
        }
        return {};
    }
    bool had_section = config.has_section(section);
    auto written = config.add(section, key, fields);
    if (!written) {
        return written.error();
    }
    if (!written->has_value()) {
        return {}; // the same key, written differently: found above
    }
    registration.state.add({token, kind, config.path(), key, value, **written});
    if (!had_section) {
        registration.state.add({token, k_section, config.path(), section, "", ""});
    }
    return {};
}

} // namespace

std::string yarn_user_config_path(const std::string& home) {
    return home + "/.yarnrc.yml";
}

std::string yarn_auth_variable(const Feed& feed) {
    std::string name = "FEEDZ_NPM_AUTH_" + feed.org + "_" + feed.repo;
    for (char& c : name) {
        c = std::isalnum(static_cast<unsigned char>(c))
                ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
                : '_';
    }
    return name;
}

Result<void> check_yarn_arguments(const Arguments& arguments) {
    FEEDZ_TRY(yarn_mode(arguments));
    return {};
}

Result<void> register_with_yarn(Registration& registration,
                                const std::optional<std::string>& scope,
                                bool npm_wanted) {
    auto mode = yarn_mode(registration.arguments);
    if (!mode) {
        return mode.error();
    }
    std::string home = home_directory();
    bool wanted = *mode == YarnMode::berry
                  || (*mode == YarnMode::automatic && npm_wanted && berry_in_use(home));
    if (!wanted || registration.feeds.empty()) {
        return {};
    }
    auto config = YarnRc::load(yarn_user_config_path(home));
    if (!config) {
        return make_error(config.error().code,
                          "cannot register the feed with yarn: " + config.error().message
                              + ". Fix the file, or log in with --yarn none");
    }
    bool existed = config->exists();
    StagedRegistration staging(registration);
    Registration& staged = staging.get();
    std::vector<std::string> added;
    for (const Feed& feed : registration.feeds) {
        std::string registry = feed.npm_url();
        std::string key = npm_nerf_dart(registry).value_or(registry);
        std::string variable = yarn_auth_variable(feed);
        FEEDZ_TRY(add_entry(
            staged,
            *config,
            k_registry,
            key,
            variable,
            {{"npmAlwaysAuth", "true"}, {"npmAuthIdent", yaml_quote("${" + variable + ":-}")}},
            k_registries,
            ": yarn uses it for " + registry));
        if (scope) {
            std::string name = scope->substr(1);
            FEEDZ_TRY(add_entry(staged,
                                *config,
                                k_scope,
                                name,
                                registry,
                                {{"npmRegistryServer", yaml_quote(registry)},
                                 {"npmPublishRegistry", yaml_quote(registry)}},
                                k_scopes,
                                ": check that it sends " + *scope + " packages to " + registry));
        }
        added.push_back(registry);
    }
    if (config->changed()) {
        if (!existed || staged.state.owned(k_file, config->path(), config->path())) {
            staged.state.add(
                {registration.token.name, k_file, config->path(), config->path(), "", ""});
        }
        if (auto saved = config->save(); !saved) {
            return make_error(Errc::io_error,
                              "yarn: " + display_path(config->path())
                                  + " was not changed: " + saved.error().message
                                  + ". Make the file and its directory writable by you, or log "
                                    "in with --yarn none");
        }
        for (const auto& registry : added) {
            staged.notes.push_back("yarn: " + display_path(config->path()) + " names " + registry
                                   + " (no credential at rest); run yarn 2+ as `feedz-agent exec "
                                     "-- yarn install`.");
        }
    }
    staging.commit(registration);
    return {};
}

Result<void> unregister_from_yarn(const std::vector<ManagedEntry>& released,
                                  std::vector<std::string>& notes) {
    std::map<std::string, std::vector<ManagedEntry>> by_file;
    for (const auto& entry : released) {
        if (entry.kind.starts_with("yarn-")) {
            by_file[entry.file].push_back(entry);
        }
    }
    for (const auto& file : by_file) {
        // Not a structured binding: clang 14 cannot capture one in the lambda below.
        const std::string& path = file.first;
        const std::vector<ManagedEntry>& entries = file.second;
        auto config = YarnRc::load(path);
        if (!config) {
            return make_error(config.error().code,
                              "cannot remove feedz-agent's yarn entries: " + config.error().message
                                  + ". Fix the file and log out again");
        }
        if (!config->exists()) {
            continue; // the user removed the file: nothing left to clean up
        }
        auto released_section = [&](const char* section) {
            for (const auto& entry : entries) {
                if (entry.kind == k_section && entry.key == section) {
                    return true;
                }
            }
            return false;
        };
        bool created = false;
        for (const auto& entry : entries) {
            const char* section = entry.kind == k_registry ? k_registries
                                  : entry.kind == k_scope  ? k_scopes
                                                           : nullptr;
            if (entry.kind == k_file) {
                created = true;
            }
            if (section == nullptr) {
                continue;
            }
            auto present = config->entries(section);
            bool there = std::any_of(present.begin(), present.end(), [&](const YarnEntry& e) {
                return e.key == entry.key;
            });
            if (!there) {
                continue; // the user removed it
            }
            if (config->remove(section, entry.key, entry.written, released_section(section))) {
                notes.push_back("yarn: removed " + std::string(section) + " entry "
                                + quote_argument(entry.key) + " from " + display_path(path) + ".");
            } else {
                notes.push_back("yarn: left " + std::string(section) + " entry "
                                + quote_argument(entry.key) + " in " + display_path(path)
                                + ": it changed since login wrote it.");
            }
        }
        if (created && config->text().empty()) {
            if (::unlink(resolve_symlinks(path).c_str()) != 0) {
                return make_error(Errc::io_error, "cannot remove " + path);
            }
            continue;
        }
        if (auto saved = config->save(); !saved) {
            return make_error(Errc::io_error,
                              "yarn: " + display_path(path)
                                  + " was not changed: " + saved.error().message);
        }
    }
    return {};
}

} // namespace feedz
