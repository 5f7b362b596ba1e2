// SPDX-License-Identifier: MIT
#include "npm_files.hpp"

#include <agent/util/file.hpp>
#include <agent/util/process.hpp>

#include <nlohmann/json.hpp>

#include <sys/stat.h>

#include <cctype>

extern char** environ;

namespace feedz {

namespace {

bool exists_as(const std::string& path, mode_t type) {
    struct stat st {};

    return ::stat(path.c_str(), &st) == 0 && (st.st_mode & S_IFMT) == type;
}

std::string join_path(const std::string& directory, std::string_view name) {
    return directory == "/" ? "/" + std::string(name) : directory + "/" + std::string(name);
}

// The node that `#!/usr/bin/env node` in npm's launcher would run.
std::optional<std::string> node_on_path(const NpmEnvironment& environment) {
    auto path = environment.get("PATH");
    if (!path) {
        return std::nullopt;
    }
    auto node = find_program("node", *path);
    if (!node) {
        return std::nullopt;
    }
    return resolve_symlinks(*node);
}

// npm's default global prefix: $PREFIX, else two levels above node's executable.
std::optional<std::string> default_global_prefix(const NpmEnvironment& environment) {
    if (auto prefix = environment.get("PREFIX"); prefix && !prefix->empty()) {
        return std::string(*prefix);
    }
    auto node = node_on_path(environment);
    if (!node) {
        return std::nullopt;
    }
    std::string prefix = parent_directory(parent_directory(*node));
    if (auto destdir = environment.get("DESTDIR"); destdir && !destdir->empty()) {
        prefix = std::string(*destdir) + prefix;
    }
    return prefix;
}

// A setting from one file, placeholders expanded.
std::optional<std::string>
file_value(const Npmrc& config, std::string_view key, const NpmEnvironment& environment) {
    auto entry = config.find(key);
    if (!entry || !entry->has_value) {
        return std::nullopt;
    }
    return npm_expand(npm_value(entry->raw),
                      [&](std::string_view name) { return environment.get(name); });
}

// A project or global file: one npm cannot read either is noted, not fatal.
std::optional<Npmrc> load_optional(const std::string& path,
                                   std::vector<std::pair<std::string, Error>>& unreadable) {
    auto config = Npmrc::load(path);
    if (!config) {
        unreadable.emplace_back(path, config.error());
        return std::nullopt;
    }
    return std::move(*config);
}

} // namespace

NpmEnvironment::NpmEnvironment(const char* const* entries) {
    for (; entries != nullptr && *entries != nullptr; ++entries) {
        add(*entries);
    }
}

NpmEnvironment::NpmEnvironment(std::vector<std::string> entries)
    : m_owned(std::move(entries)) {
    for (const auto& entry : m_owned) {
        add(entry);
    }
}

NpmEnvironment NpmEnvironment::current() {
    return NpmEnvironment(environ);
}

void NpmEnvironment::add(std::string_view entry) {
    auto equals = entry.find('=');
    if (equals != std::string_view::npos && equals > 0) {
        m_variables.emplace_back(entry.substr(0, equals), entry.substr(equals + 1));
    }
}

std::optional<std::string_view> NpmEnvironment::get(std::string_view name) const {
    for (const auto& [variable, value] : m_variables) {
        if (variable == name) {
            return value;
        }
    }
    return std::nullopt;
}

std::optional<std::string> NpmEnvironment::config_key(std::string_view name) {
    constexpr std::string_view prefix = "npm_config_";
    if (name.size() <= prefix.size()) {
        return std::nullopt;
    }
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(name[i])) != prefix[i]) {
            return std::nullopt;
        }
    }
    std::string key(name.substr(prefix.size()));
    if (!key.starts_with("//")) {
        for (char& c : key) {
            c = c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    return key;
}

std::optional<std::string_view> NpmEnvironment::config(std::string_view key) const {
    std::optional<std::string_view> found;
    for (const auto& [variable, value] : m_variables) {
        if (!value.empty() && names_config(variable, key)) {
            found = value;
        }
    }
    return found;
}

std::vector<const Npmrc*> NpmConfigs::files() const {
    std::vector<const Npmrc*> result;
    if (project) {
        result.push_back(&*project);
    }
    result.push_back(&user);
    if (global) {
        result.push_back(&*global);
    }
    return result;
}

std::optional<std::string> NpmConfigs::value(std::string_view key,
                                             const NpmEnvironment& environment) const {
    auto lookup = [&](std::string_view name) {
        return environment.get(name);
    };
    if (auto from_environment = environment.config(key)) {
        return npm_expand(*from_environment, lookup);
    }
    for (const Npmrc* file : files()) {
        if (auto found = file_value(*file, key, environment)) {
            return found;
        }
    }
    return std::nullopt;
}

std::string npm_resolve_path(std::string_view value,
                             const NpmEnvironment& environment,
                             const std::string& home,
                             const std::string& cwd) {
    std::string path =
        npm_expand(value, [&](std::string_view name) { return environment.get(name); });
    if (path == "~" || path.starts_with("~/")) {
        path = home + path.substr(1);
    }
    if (!path.starts_with('/')) {
        path = join_path(cwd, path);
    }
    return path;
}

std::string npm_local_prefix(const std::string& cwd) {
    std::string directory = cwd;
    while (true) {
        if (exists_as(join_path(directory, "package.json"), S_IFREG)
            || exists_as(join_path(directory, "node_modules"), S_IFDIR)) {
            return directory;
        }
        if (directory == "/" || directory.empty()) {
            return cwd;
        }
        directory = parent_directory(directory);
    }
}

std::string npm_user_config_path(const NpmEnvironment& environment,
                                 const std::string& home,
                                 const std::string& cwd) {
    if (auto configured = environment.config("userconfig")) {
        return npm_resolve_path(*configured, environment, home, cwd);
    }
    return join_path(home, ".npmrc");
}

Result<NpmConfigs> load_npm_configs(const std::string& cwd,
                                    const NpmEnvironment& environment,
                                    const std::string& home) {
    NpmConfigs configs;
    configs.local_prefix = npm_local_prefix(cwd);
    std::string project_path = join_path(configs.local_prefix, ".npmrc");
    configs.project = load_optional(project_path, configs.unreadable);

    std::string user_path;
    if (auto configured = environment.config("userconfig")) {
        user_path = npm_resolve_path(*configured, environment, home, cwd);
    } else if (auto redirected = configs.project
                                     ? file_value(*configs.project, "userconfig", environment)
                                     : std::nullopt) {
        user_path = npm_resolve_path(*redirected, environment, home, cwd);
    } else {
        user_path = join_path(home, ".npmrc");
    }
    if (user_path == project_path) {
        configs.project.reset();
    }
    auto user = Npmrc::load(user_path);
    if (!user) {
        return user.error();
    }
    configs.user = std::move(*user);

    std::optional<std::string> global_path;
    auto setting = [&](std::string_view key) -> std::optional<std::string> {
        if (auto from_environment = environment.config(key)) {
            return std::string(*from_environment);
        }
        // npm ignores prefix= in a project file.
        if (configs.project && key != "prefix") {
            if (auto found = file_value(*configs.project, key, environment)) {
                return found;
            }
        }
        return file_value(configs.user, key, environment);
    };
    if (auto configured = setting("globalconfig")) {
        global_path = npm_resolve_path(*configured, environment, home, cwd);
    } else if (auto prefix = setting("prefix")) {
        global_path = join_path(npm_resolve_path(*prefix, environment, home, cwd), "etc/npmrc");
    } else if (auto default_prefix = default_global_prefix(environment)) {
        global_path = join_path(*default_prefix, "etc/npmrc");
    }
    if (global_path) {
        configs.global = load_optional(*global_path, configs.unreadable);
    }
    return configs;
}

std::optional<PackageManifest> read_package_manifest(const std::string& directory) {
    auto text = read_file(directory + "/package.json");
    if (!text || !*text) {
        return std::nullopt;
    }
    auto json = nlohmann::json::parse(**text, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
        return std::nullopt;
    }
    PackageManifest manifest;
    if (auto name = json.find("name"); name != json.end() && name->is_string()) {
        manifest.name = name->get<std::string>();
    }
    if (auto config = json.find("publishConfig"); config != json.end() && config->is_object()) {
        for (const auto& [key, value] : config->items()) {
            if (value.is_string()) {
                manifest.publish_config[key] = value.get<std::string>();
            }
        }
    }
    return manifest;
}

} // namespace feedz
