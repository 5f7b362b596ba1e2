// SPDX-License-Identifier: MIT
#include <agent/npm/exec_yarn.hpp>
#include <agent/npm/npmrc.hpp>
#include <agent/npm/yarn_login.hpp>
#include <agent/util/file.hpp>
#include <agent/util/process.hpp>

#include <algorithm>
#include <cstdio>

namespace feedz {

namespace {

bool same_registry(std::string_view a, std::string_view b) {
    return yarn_registry_key(a) == yarn_registry_key(b);
}

// How often `${name` stands in `text` as an expansion (${NAME}, ${NAME-…}, ${NAME:-…}).
std::size_t expansions_of(std::string_view text, const std::string& name) {
    std::string needle = "${" + name;
    std::size_t count = 0;
    for (std::size_t at = text.find(needle); at != std::string_view::npos;
         at = text.find(needle, at + 1)) {
        std::size_t after = at + needle.size();
        if (after < text.size()
            && (text[after] == '}' || text[after] == '-' || text[after] == ':')) {
            ++count;
        }
    }
    return count;
}

void add_references(std::vector<CredentialPlaceholder>& references,
                    const YarnEntry& entry,
                    const NpmFeedCredential& credential) {
    for (const char* field : {"npmAuthToken", "npmAuthIdent"}) {
        if (const auto* value = entry.field(field)) {
            if (auto name = yarn_variable(*value)) {
                references.push_back({*name, field, &credential});
            }
        }
    }
}

// The value of `field` of `section`.`key` in the last file that sets it.
std::optional<std::string> last_field(const std::vector<YarnRc>& configs,
                                      std::string_view section,
                                      const std::string& key,
                                      std::string_view field) {
    std::optional<std::string> found;
    for (const auto& config : configs) {
        for (const auto& entry : config.entries(section)) {
            if (entry.key == key) {
                if (const auto* value = entry.field(field)) {
                    found = *value;
                }
            }
        }
    }
    return found;
}

// The value of the top-level scalar `name` in the last file that sets it.
std::optional<std::string> last_top_level(const std::vector<YarnRc>& configs,
                                          std::string_view name) {
    std::optional<std::string> found;
    for (const auto& config : configs) {
        if (auto value = config.top_level(name)) {
            found = *value;
        }
    }
    return found;
}

} // namespace

Result<std::vector<YarnRc>> load_yarn_configs(const std::string& cwd, const std::string& home) {
    std::vector<std::string> paths;
    for (std::string dir = cwd;; dir = parent_directory(dir)) {
        paths.push_back((dir == "/" ? "" : dir) + "/.yarnrc.yml");
        if (dir == "/" || dir == ".") {
            break;
        }
    }
    std::string user = yarn_user_config_path(home);
    if (std::find(paths.begin(), paths.end(), user) == paths.end()) {
        paths.push_back(user);
    }
    std::vector<YarnRc> configs;
    for (auto it = paths.rbegin(); it != paths.rend(); ++it) {
        auto config = YarnRc::load(*it);
        if (!config) {
            return config.error();
        }
        if (config->exists()) {
            configs.push_back(std::move(*config));
        }
    }
    return configs;
}

std::vector<SecretString> yarn_auth_variables(const std::vector<YarnRc>& configs,
                                              const NpmEnvironment& environment,
                                              const std::vector<NpmFeedCredential>& credentials,
                                              const std::vector<SecretString>& taken) {
    std::vector<CredentialPlaceholder> references;
    for (const auto& config : configs) {
        for (const auto& credential : credentials) {
            for (const auto& entry : config.entries("npmRegistries")) {
                if (same_registry(entry.key, credential.nerf)) {
                    add_references(references, entry, credential);
                }
            }
            for (const auto& entry : config.entries("npmScopes")) {
                const auto* server = entry.field("npmRegistryServer");
                if (server != nullptr && same_registry(*server, credential.nerf)) {
                    add_references(references, entry, credential);
                }
            }
        }
    }
    std::vector<SecretString> variables;
    std::vector<std::string> done;
    for (const auto& reference : references) {
        const std::string& name = reference.name;
        if (std::find(done.begin(), done.end(), name) != done.end()) {
            continue;
        }
        done.push_back(name);
        auto taken_by = [&](const SecretString& entry) {
            std::string_view text = entry.view();
            return text.substr(0, text.find('=')) == name;
        };
        if (!safe_placeholder_name(name) || environment.get(name)
            || std::any_of(taken.begin(), taken.end(), taken_by)) {
            continue; // not a variable we put a credential into, or the user's own value wins
        }
        std::size_t written = 0;
        for (const auto& config : configs) {
            written += expansions_of(config.text().view(), name);
        }
        if (!placeholder_means_one_credential(references, reference, written, ".yarnrc.yml")) {
            continue;
        }
        variables.push_back(reference.field == "npmAuthIdent" ? environment_entry(
                                name + "=feedz:", reference.credential->secret.view())
                                                              : environment_entry(name + "=", ""));
    }
    return variables;
}

bool is_yarn_npm_command(const std::vector<std::string>& command) {
    if (command.empty()) {
        return false;
    }
    std::string program = basename_of(command.front());
    if (program != "yarn" && program != "yarnpkg") {
        return false;
    }
    auto verb = std::find_if(command.begin() + 1, command.end(), [](const std::string& word) {
        return !word.starts_with('-');
    });
    return verb != command.end() && *verb == "npm";
}

std::string yarn_write_registry(const std::vector<YarnRc>& configs, const std::string& cwd) {
    std::string scope;
    if (auto package = read_package_manifest(cwd)) {
        if (auto registry = package->publish_config.find("registry");
            registry != package->publish_config.end()) {
            return registry->second;
        }
        const std::string& name = package->name;
        if (name.starts_with('@') && name.find('/') != std::string::npos) {
            scope = name.substr(1, name.find('/') - 1);
        }
    }
    if (!scope.empty()) {
        // Only the scope's publish registry: its npmRegistryServer is for fetching.
        if (auto registry = last_field(configs, "npmScopes", scope, "npmPublishRegistry")) {
            return *registry;
        }
    }
    for (const char* name : {"npmPublishRegistry", "npmRegistryServer"}) {
        if (auto registry = last_top_level(configs, name)) {
            return *registry;
        }
    }
    return "https://registry.yarnpkg.com";
}

} // namespace feedz
