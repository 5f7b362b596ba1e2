// SPDX-License-Identifier: MIT
#include "exec_nuget.hpp"

#include <agent/core/token_rejections.hpp>
#include <agent/nuget/nuget_command.hpp>
#include <agent/nuget/nuget_sources.hpp>
#include <agent/util/process.hpp>
#include <agent/util/text.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>

namespace feedz {

namespace {

namespace fs = std::filesystem;

// Programs that never read NuGet's variables: npm's lifecycle scripts get no NuGet token.
bool is_npm_tool(const std::string& tool) {
    for (const char* name : {"npm",
                             "npx",
                             "pnpm",
                             "pnpx",
                             "yarn",
                             "yarnpkg",
                             "bun",
                             "bunx",
                             "node",
                             "nodejs",
                             "corepack"}) {
        if (tool == name) {
            return true;
        }
    }
    return false;
}

std::string absolute(const std::string& path, const std::string& cwd) {
    return path.starts_with("/") ? path : cwd + "/" + path;
}

bool is_project_file(const fs::path& path) {
    auto extension = to_lower(path.extension().string());
    return extension == ".sln" || extension == ".slnx" || extension == ".slnf"
           || extension.ends_with("proj");
}

// Where NuGet starts looking for config files: the project's directory. That is the one a
// project, solution or directory argument names, else the current one (always, for push
// and delete, which read no project).
std::vector<std::string> walk_roots(const NuGetCommandPlan& plan,
                                    const std::vector<std::string>& command,
                                    const std::string& cwd) {
    std::vector<std::string> roots;
    for (std::size_t i = 1; plan.operation == Operation::read && i < command.size(); ++i) {
        if (command[i].starts_with("-")) {
            continue;
        }
        std::error_code error;
        fs::path path = fs::path(absolute(command[i], cwd)).lexically_normal();
        std::string root;
        if (fs::is_directory(path, error)) {
            root = path.string();
        } else if (is_project_file(path) && fs::is_regular_file(path, error)) {
            root = path.parent_path().string();
        }
        if (!root.empty() && std::find(roots.begin(), roots.end(), root) == roots.end()) {
            roots.push_back(root);
        }
    }
    if (roots.empty()) {
        roots.push_back(cwd);
    }
    return roots;
}

// The config files `plan` may make NuGet read: each root's walk up, the user's and the
// machine's; for anything but push and delete (which read no project), also the nuget.config
// files of the projects below each root. nullopt when there are too many files to tell.
std::optional<std::vector<std::string>>
files_to_read(const NuGetCommandPlan& plan,
              const std::vector<std::string>& roots,
              const std::string& home,
              const std::vector<std::string>& config_files) {
    std::vector<std::string> files;
    auto add = [&](const std::string& file) {
        if (std::find(files.begin(), files.end(), file) == files.end()) {
            files.push_back(file);
        }
    };
    for (const auto& root : roots) {
        for (const auto& file : nuget_config_files(root, home, config_files)) {
            add(file);
        }
        if (plan.operation == Operation::read && config_files.empty()) {
            auto below = nuget_configs_below(root);
            if (!below) {
                std::fprintf(stderr,
                             "feedz-agent: warning: too many files below %s to find every "
                             "nuget.config; no NuGet credentials were set (the plugin still "
                             "supplies them; run exec in the project's directory to get them "
                             "set)\n",
                             root.c_str());
                return std::nullopt;
            }
            for (const auto& file : *below) {
                add(file);
            }
        }
    }
    return files;
}

// A source as one key names it across every file read: usable only when each definition
// of the key (in any case) names the same URL.
struct KeyedSource {
    std::vector<std::string> spellings; // the key as each file writes it
    std::optional<NormalizedUrl> url;   // empty: not one URL, or not one we could serve
    bool conflicting = false;           // definitions name different URLs
    std::vector<std::string> places;    // "file:line" of each definition
    bool disabled = false;
};

// A URL we could hand a token to as NuGet will use it: NuGet expands %VAR% in values, so one
// with a variable may end up anywhere on the host (normalize_url refuses it in the host).
std::optional<NormalizedUrl> servable_url(const std::string& value) {
    if (value.find('%') != std::string::npos) {
        return std::nullopt;
    }
    auto url = normalize_url(value);
    return url ? std::optional<NormalizedUrl>(*url) : std::nullopt;
}

std::map<std::string, KeyedSource> keyed_sources(const NuGetSourceDefinitions& definitions) {
    std::map<std::string, KeyedSource> keyed;
    std::map<std::string, std::string> first_value;
    for (const auto& definition : definitions.sources) {
        std::string folded = to_lower(definition.key);
        auto [entry, first] = keyed.try_emplace(folded);
        KeyedSource& source = entry->second;
        auto url = servable_url(definition.url);
        if (first) {
            first_value[folded] = definition.url;
            source.url = url;
        } else if (url ? !source.url || url->text != source.url->text
                       : definition.url != first_value[folded]) {
            source.conflicting = true;
        }
        if (std::find(source.spellings.begin(), source.spellings.end(), definition.key)
            == source.spellings.end()) {
            source.spellings.push_back(definition.key);
        }
        source.places.push_back(definition.file + ":" + std::to_string(definition.line));
    }
    // Not a structured binding: clang before 16 cannot capture one in the lambda below.
    for (auto& entry : keyed) {
        const std::string& folded = entry.first;
        auto& source = entry.second;
        if (source.conflicting) {
            source.url.reset();
        }
        source.disabled = std::any_of(definitions.disabled.begin(),
                                      definitions.disabled.end(),
                                      [&](const std::string& key) { return iequals(key, folded); });
    }
    return keyed;
}

// Whether a push or delete goes to the source: its -s names it (by key or URL), or nothing.
bool is_target(const NuGetCommandPlan& plan, const std::string& key, const NormalizedUrl& url) {
    if (plan.operation == Operation::read) {
        return false;
    }
    if (!plan.source) {
        return true;
    }
    auto named = normalize_url(*plan.source);
    return iequals(*plan.source, key) || (named && named->text == url.text);
}

bool inside(const std::vector<Feed>& feeds, const NormalizedUrl& url) {
    return feeds.empty() || std::any_of(feeds.begin(), feeds.end(), [&](const Feed& feed) {
               return scope_covers(feed.root, url.text);
           });
}

SecretString credential_variable(const std::string& key, const SecretString& token) {
    return environment_entry(std::string(k_nuget_credentials_variable) + key
                                 + "=Username=feedz;Password=",
                             token.view(),
                             ";ValidAuthenticationTypes=basic");
}

} // namespace

Result<std::vector<SecretString>>
nuget_credential_variables(Agent& agent,
                           const std::vector<std::string>& command,
                           const std::string& cwd,
                           const std::string& home,
                           const NuGetCredentialOptions& options,
                           const std::function<bool(std::string_view)>& is_set) {
    std::vector<SecretString> variables;
    NuGetCommandPlan plan = plan_nuget_command(command);
    if (is_npm_tool(plan.tool) || (plan.operation == Operation::read && !options.for_msbuild)) {
        return variables;
    }
    std::vector<std::string> config_files;
    for (const auto& file : plan.config_files) {
        config_files.push_back(absolute(file, cwd));
    }
    std::vector<std::string> roots = plan.root_config_directory
                                         ? std::vector{absolute(*plan.root_config_directory, cwd)}
                                         : walk_roots(plan, command, cwd);
    auto files = files_to_read(plan, roots, home, config_files);
    if (!files) {
        return variables;
    }
    auto definitions = nuget_source_definitions(*files);
    if (!definitions) {
        // dotnet refuses to run with this file too, and says so.
        std::fprintf(stderr,
                     "feedz-agent: warning: %s; no NuGet credentials were set (dotnet cannot "
                     "read that file either: fix it or remove it)\n",
                     definitions.error().message.c_str());
        return variables;
    }
    std::string what = plan.tool + " " + (plan.tool == "dotnet" ? "nuget " : "") + plan.verb;
    for (const auto& [folded, source] : keyed_sources(*definitions)) {
        if (source.disabled) {
            continue;
        }
        if (!source.url) {
            if (source.conflicting) {
                std::string places;
                for (const auto& place : source.places) {
                    places += (places.empty() ? "" : ", ") + place;
                }
                std::fprintf(stderr,
                             "feedz-agent: warning: NuGet source '%s' names different URLs (%s); "
                             "it gets no credentials from exec (give it one URL in every file, "
                             "or let the plugin serve it)\n",
                             source.spellings.front().c_str(),
                             places.c_str());
            }
            continue; // a local folder, a URL we do not serve, or not one URL
        }
        if (!inside(options.feeds, *source.url)) {
            continue;
        }
        bool targeted = is_target(plan, folded, *source.url);
        auto lookup = agent.get(source.url->text, targeted ? plan.operation : Operation::read);
        if (!lookup) {
            return lookup.error();
        }
        if (targeted && !lookup->token) {
            if (plan.source && has_insufficient_access(lookup->rejected)) {
                return needs_access(what, plan.operation, source.url->text, lookup->rejected);
            }
            lookup = agent.get(source.url->text, Operation::read);
            if (!lookup) {
                return lookup.error();
            }
        }
        if (!lookup->token) {
            if (!lookup->rejected.empty()) {
                std::fprintf(stderr,
                             "feedz-agent: warning: no usable token for NuGet source '%s' (%s): "
                             "%s; store one with feedz-agent login --feed %s\n",
                             source.spellings.front().c_str(),
                             source.url->text.c_str(),
                             describe_rejections(lookup->rejected).c_str(),
                             source.url->text.c_str());
            }
            continue;
        }
        for (const auto& key : source.spellings) {
            std::string name = std::string(k_nuget_credentials_variable) + key;
            if (key.find('=') == std::string::npos && !is_set(name)) {
                variables.push_back(credential_variable(key, lookup->secret));
            }
        }
    }
    return variables;
}

std::vector<std::string>
settings_against_lingering_processes(const std::function<bool(std::string_view)>& is_set) {
    std::vector<std::string> settings;
    for (auto [name, value] : {std::pair{"MSBUILDDISABLENODEREUSE", "1"},
                               std::pair{"DOTNET_CLI_USE_MSBUILD_SERVER", "0"},
                               std::pair{"UseSharedCompilation", "false"}}) {
        if (!is_set(name)) {
            settings.push_back(std::string(name) + "=" + value);
        }
    }
    return settings;
}

} // namespace feedz
