// SPDX-License-Identifier: MIT
#include "exec_nuget.hpp"

#include <agent/cli/token_rejections.hpp>
#include <agent/config/nuget_command.hpp>
#include <agent/config/nuget_sources.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace feedz::cli {

namespace {

bool is_http_url(std::string_view url) {
    return url.starts_with("https://") || url.starts_with("http://");
}

bool same_url(std::string_view a, std::string_view b) {
    auto left = normalize_url(a);
    auto right = normalize_url(b);
    return left && right && left->text == right->text;
}

bool same_key(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x))
                      == std::tolower(static_cast<unsigned char>(y));
           });
}

// Whether a push or delete goes to `source`: its -s names it (by key or URL), or names nothing.
bool is_target(const NuGetCommandPlan& plan, const NuGetSource& source) {
    return plan.operation != Operation::read
           && (!plan.source || same_key(*plan.source, source.key)
               || same_url(*plan.source, source.url));
}

bool inside(const std::vector<Feed>& feeds, const std::string& url) {
    return feeds.empty() || std::any_of(feeds.begin(), feeds.end(), [&](const Feed& feed) {
               return scope_covers(feed.root, url);
           });
}

SecretString credential_variable(const std::string& key, const SecretString& token) {
    std::string head =
        std::string(k_nuget_credentials_variable) + key + "=Username=feedz;Password=";
    std::string_view tail = ";ValidAuthenticationTypes=basic";
    SecretString variable = SecretString::with_size(head.size() + token.size() + tail.size() + 1);
    char* out = variable.data();
    std::memcpy(out, head.data(), head.size());
    std::memcpy(out + head.size(), token.view().data(), token.size());
    std::memcpy(out + head.size() + token.size(), tail.data(), tail.size());
    out[variable.size() - 1] = '\0';
    return variable;
}

std::string absolute(const std::string& path, const std::string& cwd) {
    return path.starts_with("/") ? path : cwd + "/" + path;
}

// Where NuGet starts looking for config files: the project's directory. That is the current
// one, or the one a project, solution or directory argument names.
std::vector<std::string> walk_roots(const std::vector<std::string>& command,
                                    const std::string& cwd) {
    std::vector<std::string> roots{cwd};
    for (std::size_t i = 1; i < command.size(); ++i) {
        if (command[i].starts_with("-")) {
            continue;
        }
        std::error_code error;
        std::filesystem::path path = absolute(command[i], cwd);
        std::string root;
        if (std::filesystem::is_directory(path, error)) {
            root = path.lexically_normal().string();
        } else if (std::filesystem::is_regular_file(path, error)) {
            root = path.lexically_normal().parent_path().string();
        }
        if (!root.empty() && std::find(roots.begin(), roots.end(), root) == roots.end()) {
            roots.push_back(root);
        }
    }
    return roots;
}

// The sources of every root. A key that names different URLs from different roots is left
// out: its credential would go to whichever URL the project there uses.
Result<std::vector<NuGetSource>> sources_for(const std::vector<std::string>& roots,
                                             const std::string& home,
                                             const std::vector<std::string>& config_files) {
    std::vector<NuGetSource> sources;
    std::vector<std::string> ambiguous;
    for (const auto& root : roots) {
        auto found = merged_nuget_sources(nuget_config_files(root, home, config_files));
        if (!found) {
            return found.error();
        }
        for (auto& source : *found) {
            auto same = std::find_if(sources.begin(), sources.end(), [&](const NuGetSource& s) {
                return s.key == source.key;
            });
            if (same == sources.end()) {
                sources.push_back(std::move(source));
            } else if (same->url != source.url) {
                ambiguous.push_back(source.key);
            }
        }
    }
    std::erase_if(sources, [&](const NuGetSource& source) {
        return std::find(ambiguous.begin(), ambiguous.end(), source.key) != ambiguous.end();
    });
    return sources;
}

} // namespace

Result<std::vector<SecretString>>
nuget_credential_variables(AgentClient& agent,
                           const std::vector<std::string>& command,
                           const std::string& cwd,
                           const std::string& home,
                           const std::vector<Feed>& feeds,
                           const std::function<bool(std::string_view)>& is_set) {
    std::vector<SecretString> variables;
    NuGetCommandPlan plan = plan_nuget_command(command);
    std::vector<std::string> config_files;
    for (const auto& file : plan.config_files) {
        config_files.push_back(absolute(file, cwd));
    }
    auto roots = walk_roots(command, cwd);
    if (plan.root_config_directory) {
        roots = {absolute(*plan.root_config_directory, cwd)};
    }
    auto sources = sources_for(roots, home, config_files);
    if (!sources) {
        // dotnet refuses to run with this file too, and says so; an npm command is not ours
        // to stop.
        std::fprintf(stderr,
                     "feedz-agent: warning: %s; no NuGet credentials were set\n",
                     sources.error().message.c_str());
        return variables;
    }
    std::string what = plan.tool + " " + (plan.tool == "dotnet" ? "nuget " : "") + plan.verb;
    for (const auto& source : *sources) {
        if (!is_http_url(source.url) || !inside(feeds, source.url)
            || source.key.find('=') != std::string::npos) {
            continue;
        }
        std::string name = std::string(k_nuget_credentials_variable) + source.key;
        if (is_set(name)) {
            continue; // the user's own credentials for this source win
        }
        bool targeted = is_target(plan, source);
        auto lookup = agent.get(source.url, targeted ? plan.operation : Operation::read);
        if (!lookup) {
            return lookup.error();
        }
        if (targeted && !lookup->token) {
            if (plan.source && has_insufficient_access(lookup->rejected)) {
                return needs_access(what, plan.operation, source.url, lookup->rejected);
            }
            lookup = agent.get(source.url, Operation::read);
            if (!lookup) {
                return lookup.error();
            }
        }
        if (!lookup->token) {
            if (!lookup->rejected.empty()) {
                std::fprintf(stderr,
                             "feedz-agent: warning: no usable token for NuGet source '%s' (%s): "
                             "%s\n",
                             source.key.c_str(),
                             without_user_info(source.url).c_str(),
                             describe_rejections(lookup->rejected).c_str());
            }
            continue;
        }
        variables.push_back(credential_variable(source.key, lookup->secret));
    }
    return variables;
}

} // namespace feedz::cli
