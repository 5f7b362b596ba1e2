// SPDX-License-Identifier: MIT
#include "npm_command.hpp"

#include <agent/util/file.hpp>

#include <nlohmann/json.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace feedz {

namespace {

// npm 11's commands and aliases (lib/utils/cmd-list.js), for its abbreviation rules.
constexpr std::string_view k_npm_commands[] = {
    "access",
    "adduser",
    "approve-scripts",
    "audit",
    "bugs",
    "cache",
    "ci",
    "completion",
    "config",
    "dedupe",
    "deny-scripts",
    "deprecate",
    "diff",
    "dist-tag",
    "docs",
    "doctor",
    "edit",
    "exec",
    "explain",
    "explore",
    "find-dupes",
    "fund",
    "get",
    "help",
    "help-search",
    "init",
    "install",
    "install-ci-test",
    "install-scripts",
    "install-test",
    "link",
    "ll",
    "login",
    "logout",
    "ls",
    "org",
    "outdated",
    "owner",
    "pack",
    "ping",
    "pkg",
    "prefix",
    "profile",
    "prune",
    "publish",
    "query",
    "rebuild",
    "repo",
    "restart",
    "root",
    "run",
    "sbom",
    "search",
    "set",
    "shrinkwrap",
    "stage",
    "star",
    "stars",
    "start",
    "stop",
    "team",
    "test",
    "token",
    "trust",
    "undeprecate",
    "uninstall",
    "unpublish",
    "unstar",
    "update",
    "version",
    "view",
    "whoami",
};

constexpr std::pair<std::string_view, std::string_view> k_npm_aliases[] = {
    {"author", "owner"},
    {"home", "docs"},
    {"issues", "bugs"},
    {"info", "view"},
    {"show", "view"},
    {"find", "search"},
    {"add", "install"},
    {"unlink", "uninstall"},
    {"remove", "uninstall"},
    {"rm", "uninstall"},
    {"r", "uninstall"},
    {"un", "uninstall"},
    {"rb", "rebuild"},
    {"list", "ls"},
    {"ln", "link"},
    {"create", "init"},
    {"i", "install"},
    {"it", "install-test"},
    {"cit", "install-ci-test"},
    {"u", "update"},
    {"up", "update"},
    {"c", "config"},
    {"s", "search"},
    {"se", "search"},
    {"tst", "test"},
    {"t", "test"},
    {"ddp", "dedupe"},
    {"v", "view"},
    {"run-script", "run"},
    {"clean-install", "ci"},
    {"clean-install-test", "install-ci-test"},
    {"x", "exec"},
    {"why", "explain"},
    {"la", "ll"},
    {"verison", "version"},
    {"ic", "ci"},
    {"innit", "init"},
    {"in", "install"},
    {"ins", "install"},
    {"inst", "install"},
    {"insta", "install"},
    {"instal", "install"},
    {"isnt", "install"},
    {"isnta", "install"},
    {"isntal", "install"},
    {"isntall", "install"},
    {"install-clean", "ci"},
    {"isntall-clean", "ci"},
    {"hlep", "help"},
    {"dist-tags", "dist-tag"},
    {"upgrade", "update"},
    {"udpate", "update"},
    {"rum", "run"},
    {"sit", "install-ci-test"},
    {"urn", "run"},
    {"ogr", "org"},
    {"add-user", "adduser"},
};

// Options of npm and pnpm that take the next argument as their value (`--opt=value` always
// works); the first other non-option argument is the subcommand.
constexpr std::string_view k_value_options[] = {"--registry",
                                                "--tag",
                                                "--loglevel",
                                                "--prefix",
                                                "-C",
                                                "--workspace",
                                                "-w",
                                                "--userconfig",
                                                "--globalconfig",
                                                "--cache",
                                                "--otp",
                                                "--access",
                                                "--scope",
                                                "--omit",
                                                "--include",
                                                "--before",
                                                "--cafile",
                                                "--filter",
                                                "-F",
                                                "--dir",
                                                "--reporter",
                                                "--location",
                                                "--auth-type",
                                                "--install-strategy",
                                                "--workspaces-filter",
                                                "--publish-branch"};

std::optional<std::string_view> alias_of(std::string_view word) {
    for (const auto& [alias, command] : k_npm_aliases) {
        if (alias == word) {
            return command;
        }
    }
    return std::nullopt;
}

bool is_npm_command(std::string_view word) {
    return std::find(std::begin(k_npm_commands), std::end(k_npm_commands), word)
           != std::end(k_npm_commands);
}

// The arguments that are not options (nor option values), in order; `registry` gets the
// value of --registry.
std::vector<std::string> positionals(const std::vector<std::string>& arguments,
                                     std::optional<std::string>& registry) {
    std::vector<std::string> result;
    for (std::size_t i = 0; i < arguments.size(); ++i) {
        const std::string& argument = arguments[i];
        if (argument == "--") {
            result.insert(result.end(),
                          arguments.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                          arguments.end());
            break;
        }
        if (argument.starts_with("--registry=")) {
            registry = argument.substr(11);
            continue;
        }
        if (argument.size() > 1 && argument.front() == '-') {
            bool takes_value =
                argument.find('=') == std::string::npos
                && std::find(std::begin(k_value_options), std::end(k_value_options), argument)
                       != std::end(k_value_options);
            if (takes_value && i + 1 < arguments.size()) {
                if (argument == "--registry") {
                    registry = arguments[i + 1];
                }
                ++i;
            }
            continue;
        }
        result.push_back(argument);
    }
    return result;
}

std::optional<std::string> at(const std::vector<std::string>& items, std::size_t index) {
    return index < items.size() ? std::optional<std::string>(items[index]) : std::nullopt;
}

bool is_tag_change(const std::optional<std::string>& subcommand) {
    static constexpr std::array<std::string_view, 9> changes = {
        "add", "a", "set", "s", "rm", "r", "del", "d", "remove"};
    return subcommand && std::find(changes.begin(), changes.end(), *subcommand) != changes.end();
}

// npm and pnpm.
void plan_npm(NpmCommandPlan& plan, const std::vector<std::string>& words) {
    if (words.empty()) {
        return;
    }
    plan.verb = npm_resolve_verb(words[0]);
    if (plan.verb == "publish" || plan.verb == "stage") {
        plan.operation = Operation::write;
        plan.target = at(words, 1);
    } else if (plan.verb == "unpublish") {
        plan.operation = Operation::manage;
        plan.target = at(words, 1);
    } else if (plan.verb == "deprecate" || plan.verb == "undeprecate") {
        plan.operation = Operation::write;
        plan.target = at(words, 1);
    } else if (plan.verb == "dist-tag" && is_tag_change(at(words, 1))) {
        plan.operation = Operation::write;
        plan.target = at(words, 2);
    }
}

void plan_yarn(NpmCommandPlan& plan, const std::vector<std::string>& words) {
    std::size_t first = !words.empty() && words[0] == "npm" ? 1 : 0;
    auto verb = at(words, first);
    if (!verb) {
        return;
    }
    plan.verb = *verb;
    if (*verb == "publish") {
        plan.operation = Operation::write;
        plan.target = first == 0 ? at(words, 1) : std::nullopt;
    } else if (*verb == "tag" && is_tag_change(at(words, first + 1))) {
        plan.operation = Operation::write;
        plan.target = at(words, first + 2);
    }
}

void plan_bun(NpmCommandPlan& plan, const std::vector<std::string>& words) {
    if (!words.empty() && words[0] == "publish") {
        plan.verb = "publish";
        plan.operation = Operation::write;
        plan.target = at(words, 1);
    }
}

std::optional<nlohmann::json> read_package_json(const std::string& directory) {
    auto text = read_file(directory + "/package.json");
    if (!text || !*text) {
        return std::nullopt;
    }
    auto json = nlohmann::json::parse(**text, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
        return std::nullopt;
    }
    return json;
}

std::optional<std::string> string_member(const nlohmann::json& object, const std::string& key) {
    auto it = object.find(key);
    if (it == object.end() || !it->is_string()) {
        return std::nullopt;
    }
    return it->get<std::string>();
}

// "@s" of "@s/n@1.0.0", "" for an unscoped name.
std::string scope_of(std::string_view name) {
    if (!name.starts_with('@')) {
        return "";
    }
    auto slash = name.find('/');
    return slash == std::string_view::npos ? "" : std::string(name.substr(0, slash));
}

bool is_directory(const std::string& path) {
    struct stat st {};

    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

} // namespace

std::string npm_resolve_verb(std::string_view word) {
    std::string name;
    for (char c : word) {
        if (std::isupper(static_cast<unsigned char>(c))) {
            name += '-';
            name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        } else {
            name += c;
        }
    }
    if (is_npm_command(name)) {
        return name;
    }
    if (auto command = alias_of(name)) {
        return std::string(*command);
    }
    // A unique abbreviation of a command or an alias, then through the aliases.
    std::optional<std::string_view> match;
    auto consider = [&](std::string_view candidate) {
        if (candidate.starts_with(name) && match != candidate) {
            match = match ? std::optional<std::string_view>("") : candidate;
        }
    };
    for (auto command : k_npm_commands) {
        consider(command);
    }
    for (const auto& alias : k_npm_aliases) {
        consider(alias.first);
    }
    if (!match || match->empty()) {
        return "";
    }
    std::string_view resolved = *match;
    while (auto command = alias_of(resolved)) {
        resolved = *command;
    }
    return std::string(resolved);
}

NpmCommandPlan plan_npm_command(const std::vector<std::string>& command) {
    NpmCommandPlan plan;
    if (command.empty()) {
        return plan;
    }
    plan.tool = basename_of(command[0]);
    std::vector<std::string> arguments(command.begin() + 1, command.end());
    auto words = positionals(arguments, plan.registry);
    if (plan.tool == "npm" || plan.tool == "pnpm") {
        plan_npm(plan, words);
    } else if (plan.tool == "yarn") {
        plan_yarn(plan, words);
    } else if (plan.tool == "bun") {
        plan_bun(plan, words);
    }
    if (plan.operation == Operation::read) {
        plan.target.reset();
    }
    return plan;
}

std::optional<std::string> npm_write_registry(const NpmCommandPlan& plan,
                                              const NpmConfigs& configs,
                                              const NpmEnvironment& environment,
                                              const std::string& cwd) {
    if (plan.registry) {
        return plan.registry;
    }
    std::string name;
    std::optional<nlohmann::json> publish_config;
    std::string target = plan.target.value_or(".");
    std::string directory = target.starts_with('/') ? target : cwd + "/" + target;
    bool names_package = plan.target && !target.starts_with('.') && !target.starts_with('/')
                         && !target.ends_with(".tgz") && !target.ends_with(".tar.gz")
                         && !is_directory(directory);
    if (names_package) {
        // A spec: "@s/n@1.0.0" or "n@latest"; only its scope matters.
        name = target;
    } else if (is_directory(directory)) {
        auto package = read_package_json(directory);
        if (!package) {
            return std::nullopt;
        }
        name = string_member(*package, "name").value_or("");
        if (auto it = package->find("publishConfig"); it != package->end() && it->is_object()) {
            publish_config = *it;
        }
    } else {
        return std::nullopt; // a tarball: its package.json is inside
    }
    std::string scope = scope_of(name);
    if (publish_config) {
        if (!scope.empty()) {
            if (auto registry = string_member(*publish_config, scope + ":registry")) {
                return registry;
            }
        }
        if (auto registry = string_member(*publish_config, "registry")) {
            return registry;
        }
    }
    if (!scope.empty()) {
        if (auto registry = configs.value(scope + ":registry", environment)) {
            return registry;
        }
    }
    return configs.value("registry", environment).value_or("https://registry.npmjs.org/");
}

} // namespace feedz
