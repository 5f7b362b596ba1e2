// SPDX-License-Identifier: MIT
#include "exec_npm.hpp"

#include <agent/core/token_rejections.hpp>
#include <agent/npm/npmrc.hpp>
#include <agent/util/process.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace feedz {

namespace {

// An npm registry URL (".../org/repo/npm/") or nerf-dart ("//host/org/repo/npm/") as a feed.
std::optional<Feed> feed_of_registry(std::string_view url) {
    std::string text(url);
    if (text.starts_with("//")) {
        text = "https:" + text;
    }
    auto normalized = normalize_url(text);
    if (!normalized || !normalized->path.ends_with("/npm/")) {
        return std::nullopt;
    }
    auto feed = parse_feed(normalized->text);
    return feed ? std::optional<Feed>(*feed) : std::nullopt;
}

Error needs_level(const NpmCommandPlan& plan,
                  const std::string& registry,
                  const std::vector<RejectedTokenInfo>& rejected) {
    return needs_access(plan.tool + " " + plan.verb, plan.operation, registry, rejected);
}

} // namespace

bool safe_placeholder_name(const std::string& name) {
    return safe_secret_variable_name(name);
}

std::vector<Feed> discover_npm_feeds(const std::vector<TokenInfo>& tokens,
                                     const NpmConfigs& configs,
                                     const NpmEnvironment& environment) {
    std::vector<Feed> feeds;
    for (const auto& token : tokens) {
        for (const auto& scope : token.scopes) {
            if (auto feed = parse_feed(scope); feed && scope == feed->root) {
                add_feed(feeds, *feed);
            }
        }
    }
    auto expand = [&](std::string_view text) {
        return npm_expand(text, [&](std::string_view name) { return environment.get(name); });
    };
    for (const Npmrc* file : configs.files()) {
        for (const auto& entry : file->entries()) {
            if (!entry.top_level()) {
                continue;
            }
            std::optional<Feed> feed;
            if (entry.key == "registry" || entry.key.ends_with(":registry")) {
                feed = feed_of_registry(expand(npm_value(entry.raw)));
            } else if (entry.key.starts_with("//") && entry.key.find(":") != std::string::npos) {
                feed = feed_of_registry(expand(entry.key.substr(0, entry.key.rfind(':'))));
            }
            if (feed) {
                add_feed(feeds, *feed);
            }
        }
    }
    for (const auto& [name, value] : environment.variables()) {
        auto key = NpmEnvironment::config_key(name);
        if (key && (*key == "registry" || key->ends_with(":registry"))) {
            if (auto feed = feed_of_registry(value)) {
                add_feed(feeds, *feed);
            }
        }
    }
    return feeds;
}

Result<std::vector<NpmFeedCredential>>
collect_npm_credentials(Agent& agent,
                        const std::vector<Feed>& feeds,
                        const NpmCommandPlan& plan,
                        const std::optional<std::string>& target,
                        bool warn_missing) {
    std::vector<NpmFeedCredential> credentials;
    std::vector<RejectedTokenInfo> write_rejections;
    bool wrote_any = false;
    for (const Feed& feed : feeds) {
        std::string registry = feed.npm_url();
        bool targeted =
            plan.operation != Operation::read
            && (!target || feed_of_registry(*target).value_or(Feed{}).root == feed.root);
        Operation operation = targeted ? plan.operation : Operation::read;
        auto lookup = agent.get(registry, operation);
        if (!lookup) {
            return lookup.error();
        }
        if (targeted && !lookup->token) {
            operation = Operation::read;
            if (target && has_insufficient_access(lookup->rejected)) {
                return needs_level(plan, registry, lookup->rejected);
            }
            write_rejections.insert(
                write_rejections.end(), lookup->rejected.begin(), lookup->rejected.end());
            lookup = agent.get(registry, Operation::read);
            if (!lookup) {
                return lookup.error();
            }
        } else if (targeted) {
            wrote_any = true;
        }
        if (!lookup->token) {
            if (warn_missing || !lookup->rejected.empty()) {
                std::fprintf(stderr,
                             "feedz-agent: warning: no usable token for %s%s%s\n",
                             registry.c_str(),
                             lookup->rejected.empty() ? "" : ": ",
                             describe_rejections(lookup->rejected).c_str());
            }
            continue;
        }
        credentials.push_back({feed,
                               npm_nerf_dart(registry).value_or(""),
                               *lookup->token,
                               std::move(lookup->secret),
                               operation});
    }
    // A write whose registry we cannot tell (a tarball): fail here when no feed has a token
    // that may write and some has one too weak, as the feed would.
    if (plan.operation != Operation::read && !target && !wrote_any
        && has_insufficient_access(write_rejections)) {
        std::string registries;
        for (const Feed& feed : feeds) {
            registries += (registries.empty() ? "" : ", ") + feed.npm_url();
        }
        return needs_level(plan, registries, write_rejections);
    }
    return credentials;
}

Npmrc merged_npm_userconfig(const Npmrc& user,
                            const std::vector<NpmFeedCredential>& credentials,
                            const std::optional<std::string>& default_registry) {
    SecretString text = user.text();
    Npmrc merged = Npmrc::parse(text.view());
    std::string default_nerf = npm_nerf_dart(default_registry.value_or("")).value_or("");
    for (const auto& credential : credentials) {
        // pnpm runs the user config's tokenHelper for a registry (an unscoped one for the
        // default registry) instead of reading its _auth.
        for (const char* name : {"_authToken", "_auth", "username", "_password", "tokenHelper"}) {
            while (merged.erase(credential.nerf + ":" + name)) {
            }
        }
        if (credential.nerf == default_nerf) {
            while (merged.erase("tokenHelper")) {
            }
        }
        SecretString value = npm_basic_auth(credential.secret.view());
        merged.set(credential.nerf + ":_auth", value.view());
    }
    return merged;
}

bool placeholder_means_one_credential(const std::vector<CredentialPlaceholder>& found,
                                      const CredentialPlaceholder& placeholder,
                                      std::size_t written,
                                      const char* files) {
    std::size_t same_name = 0;
    bool one_meaning = true;
    for (const auto& other : found) {
        if (other.name == placeholder.name) {
            ++same_name;
            one_meaning = one_meaning && other.field == placeholder.field
                          && other.credential->feed.root == placeholder.credential->feed.root;
        }
    }
    if (one_meaning && written == same_name) {
        return true;
    }
    std::fprintf(stderr,
                 "feedz-agent: warning: ${%s} in your %s files stands for more than %s's "
                 "credential, so exec leaves it unset; give it a variable of its own\n",
                 placeholder.name.c_str(),
                 files,
                 placeholder.credential->feed.npm_url().c_str());
    return false;
}

std::vector<SecretString>
npm_placeholder_variables(const NpmConfigs& configs,
                          const NpmEnvironment& environment,
                          const std::vector<NpmFeedCredential>& credentials) {
    std::vector<SecretString> variables;
    if (!configs.project) {
        return variables;
    }

    // Every ${NAME} on a credential key of a covered feed, with what it would be set to.
    std::vector<CredentialPlaceholder> references;
    for (const auto& entry : configs.project->entries()) {
        if (!entry.top_level()) {
            continue;
        }
        for (const auto& credential : credentials) {
            if (entry.key.starts_with(credential.nerf + ":")) {
                for (const auto& placeholder : npm_placeholders(entry.raw)) {
                    references.push_back({placeholder.name,
                                          entry.key.substr(credential.nerf.size() + 1),
                                          &credential});
                }
            }
        }
    }
    std::vector<std::string> done;
    for (const auto& reference : references) {
        const std::string& name = reference.name;
        if (std::find(done.begin(), done.end(), name) != done.end()) {
            continue;
        }
        done.push_back(name);
        if (!safe_secret_variable_name(name) || environment.get(name)) {
            continue; // not a variable we put a credential into, or the user's own value wins
        }
        std::size_t written = 0;
        for (const Npmrc* file : configs.files()) {
            for (const auto& placeholder : npm_placeholders(file->text().view())) {
                if (placeholder.name == name) {
                    ++written;
                }
            }
        }
        if (!placeholder_means_one_credential(references, reference, written, "npm config")) {
            continue;
        }
        const std::string& key = reference.field;
        SecretString value;
        if (key == "_auth") {
            value = npm_basic_auth(reference.credential->secret.view());
        } else if (key == "_password") {
            value = npm_base64(reference.credential->secret.view());
        } else if (key == "username") {
            value = SecretString("feedz");
        } else if (key != "_authToken") {
            continue;
        }
        variables.push_back(environment_entry(name + "=", value.view()));
    }
    return variables;
}

void warn_about_npm_project_credentials(const NpmConfigs& configs,
                                        const std::vector<NpmFeedCredential>& credentials) {
    if (!configs.project) {
        return;
    }
    for (const auto& entry : configs.project->entries()) {
        for (const auto& credential : credentials) {
            if (entry.top_level() && entry.key.starts_with(credential.nerf + ":")
                && npm_placeholders(entry.raw).empty()) {
                std::string name = entry.key.substr(credential.nerf.size() + 1);
                if (name == "_authToken" || name == "_auth" || name == "username"
                    || name == "_password") {
                    std::fprintf(stderr,
                                 "feedz-agent: warning: %s:%zu sets a credential for %s, which "
                                 "npm uses instead of feedz-agent's\n",
                                 configs.project->path().c_str(),
                                 entry.line,
                                 credential.feed.npm_url().c_str());
                }
            }
        }
    }
}

} // namespace feedz
