// SPDX-License-Identifier: MIT
// `feedz-agent exec -- COMMAND...`: runs npm (npx, pnpm, yarn, bun), dotnet, or anything that
// runs them, with the feeds' credentials: npm's in a user config that exists only in memory
// while it runs, NuGet's in NuGetPackageSourceCredentials_* variables (exec_nuget.hpp), so that
// no token is ever at rest. Each feed gets the least privileged token the command needs.
#include <agent/cli/common.hpp>
#include <agent/core/feed.hpp>
#include <agent/core/paths.hpp>
#include <agent/core/token_rejections.hpp>
#include <agent/npm/npm_command.hpp>
#include <agent/npm/npm_files.hpp>
#include <agent/npm/npm_userconfig.hpp>
#include <agent/npm/npmrc.hpp>
#include <agent/nuget/exec_nuget.hpp>
#include <agent/nuget/nuget_config.hpp>
#include <agent/util/process.hpp>

#include <limits.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace feedz::cli {

namespace {

constexpr std::string_view k_default_path = "/usr/local/bin:/usr/bin:/bin";

// One feed's credential in the merged config.
struct FeedCredential {
    Feed feed;
    std::string nerf;
    TokenInfo token;
    SecretString secret;
};

std::string current_directory() {
    char buffer[PATH_MAX];
    return ::getcwd(buffer, sizeof(buffer)) != nullptr ? std::string(buffer) : std::string(".");
}

void add_feed(std::vector<Feed>& feeds, const Feed& feed) {
    if (std::none_of(
            feeds.begin(), feeds.end(), [&](const Feed& f) { return f.root == feed.root; })) {
        feeds.push_back(feed);
    }
}

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

// The feeds a command may need when no --feed is given: those the stored tokens were logged
// in for, and Feedz-shaped registries the npm files and environment name.
std::vector<Feed> discover_feeds(const std::vector<TokenInfo>& tokens,
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

Error needs_level(const NpmCommandPlan& plan,
                  const std::string& registry,
                  const std::vector<RejectedTokenInfo>& rejected) {
    return needs_access(plan.tool + " " + plan.verb, plan.operation, registry, rejected);
}

// Looks up the token for each feed: the plan's operation for the feed a write goes to (every
// feed, when that cannot be told), the lowest level that reads for the others.
Result<std::vector<FeedCredential>> collect_credentials(AgentClient& agent,
                                                        const std::vector<Feed>& feeds,
                                                        const NpmCommandPlan& plan,
                                                        const std::optional<std::string>& target,
                                                        bool warn_missing) {
    std::vector<FeedCredential> credentials;
    std::vector<RejectedTokenInfo> write_rejections;
    bool wrote_any = false;
    for (const Feed& feed : feeds) {
        std::string registry = feed.npm_url();
        bool targeted =
            plan.operation != Operation::read
            && (!target || feed_of_registry(*target).value_or(Feed{}).root == feed.root);
        auto lookup = agent.get(registry, targeted ? plan.operation : Operation::read);
        if (!lookup) {
            return lookup.error();
        }
        if (targeted && !lookup->token) {
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
                               std::move(lookup->secret)});
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

// The user's own config with our lines in place of any credential for the same registries.
Npmrc merged_config(const Npmrc& user, const std::vector<FeedCredential>& credentials) {
    SecretString text = user.text();
    Npmrc merged = Npmrc::parse(text.view());
    for (const auto& credential : credentials) {
        for (const char* name : {"_authToken", "_auth", "username", "_password"}) {
            while (merged.erase(credential.nerf + ":" + name)) {
            }
        }
        SecretString value = npm_basic_auth(credential.secret.view());
        merged.set(credential.nerf + ":_auth", value.view());
    }
    return merged;
}

// A placeholder name we may set: an identifier, and none that changes how programs run
// (LD_PRELOAD=<token> would make the dynamic loader print the token on every start).
bool safe_placeholder_name(const std::string& name) {
    bool identifier = !name.empty()
                      && (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')
                      && std::all_of(name.begin(), name.end(), [](unsigned char c) {
                             return std::isalnum(c) || c == '_';
                         });
    if (!identifier) {
        return false;
    }
    std::string upper = name;
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) {
        return static_cast<char>(std::toupper(c));
    });
    for (const char* prefix : {"LD_", "NPM_CONFIG_", "NODE_", "DYLD_", "GIT_"}) {
        if (upper.starts_with(prefix)) {
            return false;
        }
    }
    for (const char* reserved : {"PATH",
                                 "HOME",
                                 "SHELL",
                                 "ENV",
                                 "BASH_ENV",
                                 "IFS",
                                 "TMPDIR",
                                 "PWD",
                                 "USER",
                                 "LOGNAME",
                                 "PS4",
                                 "PROMPT_COMMAND"}) {
        if (upper == reserved) {
            return false;
        }
    }
    return true;
}

// NAME=value for the ${NAME} placeholders the project's config puts on our registries' keys,
// so that its line does not override ours with an unset placeholder. An _authToken (sent as
// Bearer, which Feedz refuses) gets an empty value: npm then falls through to our _auth.
std::vector<SecretString> placeholder_variables(const NpmConfigs& configs,
                                                const NpmEnvironment& environment,
                                                const std::vector<FeedCredential>& credentials) {
    std::vector<SecretString> variables;
    if (!configs.project) {
        return variables;
    }
    std::vector<std::string> exported;
    for (const auto& entry : configs.project->entries()) {
        if (!entry.top_level()) {
            continue;
        }
        for (const auto& credential : credentials) {
            if (!entry.key.starts_with(credential.nerf + ":")) {
                continue;
            }
            std::string name = entry.key.substr(credential.nerf.size() + 1);
            for (const auto& placeholder : npm_placeholders(entry.raw)) {
                if (!safe_placeholder_name(placeholder.name)) {
                    continue; // not a variable we put a credential into
                }
                if (environment.get(placeholder.name)
                    || std::find(exported.begin(), exported.end(), placeholder.name)
                           != exported.end()) {
                    continue; // the user's own value wins
                }
                SecretString value;
                if (name == "_auth") {
                    value = npm_basic_auth(credential.secret.view());
                } else if (name == "_password") {
                    value = npm_base64(credential.secret.view());
                } else if (name == "username") {
                    value = SecretString("feedz");
                } else if (name != "_authToken") {
                    continue;
                }
                variables.push_back(environment_entry(placeholder.name + "=", value.view()));
                exported.push_back(placeholder.name);
            }
        }
    }
    return variables;
}

// A literal credential for one of our registries in the project config beats the user config
// npm gets from us; say so, as npm will only say 401.
void warn_about_project_credentials(const NpmConfigs& configs,
                                    const std::vector<FeedCredential>& credentials) {
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

int run_exec(Arguments& arguments, char**) {
    const auto& command = arguments.positional();
    if (command.empty()) {
        return report(make_error(Errc::invalid_argument,
                                 "exec needs a command: feedz-agent exec [--feed FEED]... -- "
                                 "npm install"));
    }
    std::vector<Feed> feeds;
    for (const auto& text : arguments.values("feed")) {
        auto feed = parse_feed(text);
        if (!feed) {
            return report(feed.error());
        }
        add_feed(feeds, *feed);
    }
    NpmEnvironment environment = NpmEnvironment::current();
    auto program = find_program(command.front(), environment.get("PATH").value_or(k_default_path));
    if (!program) {
        std::fprintf(stderr,
                     "feedz-agent: error: %s: command not found (not on PATH)\n",
                     command.front().c_str());
        return k_exit_not_found;
    }
    if (::access(program->c_str(), X_OK) != 0) {
        std::fprintf(stderr, "feedz-agent: error: %s: not executable\n", program->c_str());
        return k_exit_not_executable;
    }

    std::string cwd = current_directory();
    std::string home = home_directory();
    auto configs = load_npm_configs(cwd, environment, home);
    if (!configs) {
        return report(configs.error());
    }
    NpmCommandPlan plan = plan_npm_command(command);
    std::optional<std::string> target;
    if (plan.operation != Operation::read) {
        target = npm_write_registry(plan, *configs, environment, cwd);
    }

    std::vector<FeedCredential> credentials;
    std::vector<SecretString> nuget_variables;
    auto is_set = [&](std::string_view name) {
        return environment.get(name).has_value();
    };
    {
        auto agent = connect_agent();
        if (!agent) {
            return report(agent.error());
        }
        if (feeds.empty()) {
            auto tokens = agent->list();
            if (!tokens) {
                return report(tokens.error());
            }
            feeds = discover_feeds(*tokens, *configs, environment);
        }
        auto collected = collect_credentials(*agent, feeds, plan, target, arguments.has("feed"));
        if (!collected) {
            return report(collected.error());
        }
        credentials = std::move(*collected);
        NuGetCredentialOptions nuget_options;
        if (arguments.has("feed")) {
            nuget_options.feeds = feeds;
        }
        nuget_options.for_msbuild = arguments.has("nuget-env");
        auto nuget = nuget_credential_variables(
            *agent, command, cwd, NuGetConfig::home_directory(), nuget_options, is_set);
        if (!nuget) {
            return report(nuget.error());
        }
        nuget_variables = std::move(*nuget);
    } // the agent's socket is closed before the command starts

    std::vector<char*> child_environment;
    std::optional<EphemeralNpmrc> userconfig;
    std::string userconfig_variable;
    std::vector<SecretString> placeholders;
    if (!credentials.empty()) {
        auto created = EphemeralNpmrc::create(merged_config(configs->user, credentials));
        if (!created) {
            return report(created.error());
        }
        userconfig.emplace(std::move(*created));
        userconfig_variable = "NPM_CONFIG_USERCONFIG=" + userconfig->path();
        placeholders = placeholder_variables(*configs, environment, credentials);
        warn_about_project_credentials(*configs, credentials);
    }
    credentials.clear(); // wipes the tokens: the command gets them from the config only
    for (char** entry = environ; *entry != nullptr; ++entry) {
        std::string_view text = *entry;
        std::string_view name = text.substr(0, text.find('='));
        bool replaced = userconfig && NpmEnvironment::names_config(name, "userconfig");
        for (const auto& placeholder : placeholders) {
            std::string_view ours = placeholder.view();
            replaced = replaced || name == ours.substr(0, ours.find('='));
        }
        if (!replaced) {
            child_environment.push_back(*entry);
        }
    }
    if (userconfig) {
        child_environment.push_back(userconfig_variable.data());
    }
    for (auto& placeholder : placeholders) {
        child_environment.push_back(placeholder.data());
    }
    std::vector<std::string> nuget_settings;
    if (!nuget_variables.empty()) {
        nuget_settings = settings_against_lingering_processes(is_set);
    }
    for (auto& variable : nuget_variables) {
        child_environment.push_back(variable.data());
    }
    for (auto& setting : nuget_settings) {
        child_environment.push_back(setting.data());
    }
    child_environment.push_back(nullptr);

    auto status = run_child(*program, command, child_environment);
    if (!status) {
        return report(status.error());
    }
    return *status;
}

} // namespace

const Command& exec_command() {
    static const Command command{
        "exec",
        "run npm (npx, pnpm, yarn, bun) or dotnet with the feeds' credentials, none at rest",
        "usage: feedz-agent exec [--feed FEED]... -- COMMAND [ARG]...\n"
        "\n"
        "Runs COMMAND with a merged npm user config - your own (~/.npmrc or\n"
        "$NPM_CONFIG_USERCONFIG) plus an _auth line for each feed - that exists only in memory\n"
        "while it runs: NPM_CONFIG_USERCONFIG points at /proc/PID/fd/N of this process (where\n"
        "that is impossible, at a 0600 file in $XDG_RUNTIME_DIR/feedz-agent, removed at the\n"
        "end). npm processes started by lifecycle scripts read it too. ${NAME} placeholders\n"
        "that the project's .npmrc puts on a feed's credential keys are set for COMMAND.\n"
        "\n"
        "For NuGet, dotnet nuget push and delete (or nuget push and delete) get\n"
        "NuGetPackageSourceCredentials_KEY for each source of the NuGet.Config files they\n"
        "read (from here up, your own, the machine's; or the one named on the command line)\n"
        "whose URL a stored token covers, so that they authenticate without the plugin.\n"
        "With --nuget-env, so does any other COMMAND (dotnet restore, build, test, a script;\n"
        "not npm, npx, pnpm, yarn, bun or node), from the config files of the project's\n"
        "directory up and of the projects below it. Such a variable binds the token to the\n"
        "source's key, not its URL: a project config exec cannot see (one an MSBuild\n"
        "property names, or outside the tree) that gave the key another URL would get the\n"
        "token, so use --nuget-env where you trust the configs. A key that two files give\n"
        "different URLs gets nothing. MSBuild node reuse, the MSBuild server and the shared\n"
        "compiler are then off (MSBUILDDISABLENODEREUSE=1, DOTNET_CLI_USE_MSBUILD_SERVER=0,\n"
        "UseSharedCompilation=false), so that no process outlives COMMAND with a token.\n"
        "Variables you set yourself are kept.\n"
        "\n"
        "Each feed gets the least privileged token that suffices: publish, deprecate,\n"
        "undeprecate, dist-tag add/rm and nuget push get a Read/Write token, unpublish and\n"
        "nuget delete a Full one, anything else the lowest level that reads. When only a\n"
        "weaker token exists, the command is not run. Signals are passed on, and the exit\n"
        "status is COMMAND's (128+N when signal N ended it; 127 when it is not found).\n"
        "\n"
        "options:\n"
        "  --feed FEED   give credentials for FEED only (repeatable); without it, every feed\n"
        "                a stored token was logged in for, every Feedz-shaped registry your\n"
        "                npm config files name, and every NuGet source a token covers\n"
        "  --nuget-env   NuGet credentials in variables for every command, not only for\n"
        "                nuget push and delete (faster than the plugin; see above)\n",
        {{"feed", true, true}, {"nuget-env", false, false}},
        run_exec,
    };
    return command;
}

} // namespace feedz::cli
