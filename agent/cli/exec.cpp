// SPDX-License-Identifier: MIT
// `feedz-agent exec -- COMMAND...`: runs npm (npx, pnpm, yarn, bun), dotnet, or anything that
// runs them, with the feeds' credentials: npm's in a user config that exists only in memory
// while it runs (exec_npm.hpp), NuGet's in NuGetPackageSourceCredentials_* variables
// (exec_nuget.hpp), so that no token is ever at rest. Each feed gets the least privileged
// token the command needs. This file is the command's wiring; the halves are the modules'.
#include <agent/cli/common.hpp>
#include <agent/cli/exec_options.hpp>
#include <agent/core/environment.hpp>
#include <agent/core/feed.hpp>
#include <agent/core/paths.hpp>
#include <agent/npm/exec_npm.hpp>
#include <agent/npm/exec_yarn.hpp>
#include <agent/npm/npm_command.hpp>
#include <agent/npm/npm_files.hpp>
#include <agent/npm/npm_userconfig.hpp>
#include <agent/npm/pnpm_helper.hpp>
#include <agent/nuget/exec_nuget.hpp>
#include <agent/nuget/nuget_config.hpp>
#include <agent/util/process.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace feedz::cli {

namespace {

constexpr std::string_view k_default_path = "/usr/local/bin:/usr/bin:/bin";

Result<int> run_exec(const Context& context, Arguments& arguments, char**) {
    const auto& command = arguments.positional();
    if (command.empty()) {
        return make_error(Errc::invalid_argument,
                          "exec needs a command: feedz-agent exec [--feed FEED]... -- "
                          "npm install");
    }
    auto options = read_exec_options(arguments);
    if (!options) {
        return options.error();
    }
    std::vector<Feed> feeds = options->feeds;
    NpmEnvironment environment = NpmEnvironment::current();
    auto program = find_program(command.front(), environment.get("PATH").value_or(k_default_path));
    if (!program) {
        Error error =
            make_error(Errc::not_found, command.front() + ": command not found (not on PATH)");
        error.exit_code = k_exit_not_found;
        return error;
    }
    if (::access(program->c_str(), X_OK) != 0) {
        Error error = make_error(Errc::permission_denied, *program + ": not executable");
        error.exit_code = k_exit_not_executable;
        return error;
    }

    std::string cwd = context.environment.current_directory();
    std::string home = home_directory();
    auto configs = load_npm_configs(cwd, environment, home);
    if (!configs) {
        return configs.error();
    }
    NpmCommandPlan plan = plan_npm_command(command);
    // yarn berry's own configs; one that cannot be read matters only to yarn.
    auto yarn_configs = load_yarn_configs(cwd, home);
    if (!yarn_configs && plan.tool == "yarn") {
        return yarn_configs.error();
    }
    if (!yarn_configs) {
        yarn_configs = std::vector<YarnRc>();
    }
    // --access: every feed gets that level, whatever the command line says.
    plan = with_chosen_access(std::move(plan), options->access);
    std::optional<std::string> target;
    if (plan.operation != Operation::read && !options->access) {
        target = is_yarn_npm_command(command)
                     ? yarn_write_registry(*yarn_configs, cwd)
                     : npm_write_registry(plan, *configs, environment, cwd);
    }

    std::vector<NpmFeedCredential> credentials;
    std::vector<SecretString> nuget_variables;
    SecretString token_variable; // --env NAME: "NAME=TOKEN"
    auto is_set = [&](std::string_view name) {
        return environment.get(name).has_value();
    };
    {
        auto connected = context.connect_agent();
        if (!connected) {
            return connected.error();
        }
        Agent& agent = **connected;
        if (feeds.empty()) {
            auto tokens = agent.list();
            if (!tokens) {
                return tokens.error();
            }
            feeds = discover_npm_feeds(*tokens, *configs, environment);
        }
        auto collected = collect_npm_credentials(agent, feeds, plan, target, arguments.has("feed"));
        if (!collected) {
            return collected.error();
        }
        credentials = std::move(*collected);
        if (options->access && plan.operation != Operation::read
            && std::none_of(credentials.begin(), credentials.end(), [&](const auto& credential) {
                   return access_allows(credential.token.access, plan.operation);
               })) {
            return make_error(Errc::not_found,
                              plan.tool + " " + plan.verb + ": no stored token has that level for "
                                  + (feeds.empty() ? std::string("any feed") : feeds.front().root)
                                  + (feeds.size() > 1 ? " or the other feeds" : "")
                                  + "; nothing was run. Store one: feedz-agent login --access "
                                  + to_string(*options->access) + " --feed FEED");
        }
        std::vector<Access> given;
        for (const auto& credential : credentials) {
            given.push_back(credential.token.access);
        }
        if (auto warning = unclassified_command_warning(command, plan, given)) {
            std::fprintf(stderr, "%s\n", warning->c_str());
        }
        if (options->env) {
            auto variable =
                feed_token_variable(agent, feeds.front(), *options->access, *options->env);
            if (!variable) {
                return variable.error();
            }
            token_variable = std::move(*variable);
        }
        NuGetCredentialOptions nuget_options;
        if (!options->feeds.empty()) {
            nuget_options.feeds = feeds;
        }
        nuget_options.for_msbuild = options->nuget_env;
        auto nuget = nuget_credential_variables(
            agent, command, cwd, NuGetConfig::home_directory(), nuget_options, is_set);
        if (!nuget) {
            return nuget.error();
        }
        nuget_variables = std::move(*nuget);
    } // the agent's socket is closed before the command starts

    std::vector<char*> child_environment;
    std::optional<EphemeralNpmrc> userconfig;
    std::string userconfig_variable;
    std::vector<SecretString> placeholders;
    if (!credentials.empty()) {
        auto created = EphemeralNpmrc::create(merged_npm_userconfig(
            configs->user, credentials, configs->value("registry", environment)));
        if (!created) {
            return created.error();
        }
        userconfig.emplace(std::move(*created));
        userconfig_variable = "NPM_CONFIG_USERCONFIG=" + userconfig->path();
        placeholders = npm_placeholder_variables(*configs, environment, credentials);
        for (auto& variable :
             yarn_auth_variables(*yarn_configs, environment, credentials, placeholders)) {
            placeholders.push_back(std::move(variable));
        }
        warn_about_npm_project_credentials(*configs, credentials);
    }
    // pnpm prefers a tokenHelper to the config's _auth: tell ours which level was chosen.
    std::string access_variable = exec_access_variable(credentials);
    credentials.clear(); // wipes the tokens: the command gets them from the config only
    for (char** entry = environ; *entry != nullptr; ++entry) {
        std::string_view text = *entry;
        std::string_view name = text.substr(0, text.find('='));
        bool replaced = (userconfig && NpmEnvironment::names_config(name, "userconfig"))
                        || name == k_env_exec_access;
        replaced = replaced || (options->env && name == *options->env);
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
    child_environment.push_back(access_variable.data());
    for (auto& placeholder : placeholders) {
        child_environment.push_back(placeholder.data());
    }
    if (options->env) {
        child_environment.push_back(token_variable.data());
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
        return status.error();
    }
    return *status;
}

} // namespace

const Command& exec_command() {
    static const Command command{
        "exec",
        "run npm (npx, pnpm, yarn, bun) or dotnet with the feeds' credentials, none at rest",
        "usage: feedz-agent exec [--feed FEED]... [--access read|read-write|full]\n"
        "                        [--env NAME] [--nuget-env] -- COMMAND [ARG]...\n"
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
        "Each feed gets the least privileged token that suffices, read from COMMAND's line\n"
        "the way npm, npx, pnpm, yarn (1 and 4) and bun read it: publish, deprecate,\n"
        "undeprecate, dist-tag add/rm (yarn: tag add/remove) and nuget push get a Read/Write\n"
        "token, unpublish and nuget delete a Full one, anything else the lowest level that\n"
        "reads. A program exec does not know, or a script (npm run, pnpm release, sh -c,\n"
        "make), gets the reading level and a warning: choose with --access. When only a\n"
        "weaker token exists, the command is not run. Signals are passed on, and the exit\n"
        "status is COMMAND's (128+N when signal N ended it; 127 when it is not found).\n"
        "\n"
        "options:\n"
        "  --feed FEED     give credentials for FEED only (repeatable); without it, every\n"
        "                  feed a stored token was logged in for, every Feedz-shaped registry\n"
        "                  your npm config files name, and every NuGet source a token covers\n"
        "  --access LEVEL  give every feed's npm credential this level (read, read-write or\n"
        "                  full) instead of the one read from COMMAND; refused when no\n"
        "                  stored token has it\n"
        "  --env NAME      also put FEED's token (with --feed FEED and --access LEVEL) into\n"
        "                  the variable NAME for COMMAND only: for the Feedz CLI, curl against\n"
        "                  the REST API, build scripts. Never in an argument: use it as\n"
        "                  \"$NAME\" inside a script, not on exec's command line\n"
        "  --nuget-env     NuGet credentials in variables for every command, not only for\n"
        "                  nuget push and delete (faster than the plugin; see above)\n",
        {{"feed", true, true},
         {"access", true, false},
         {"env", true, false},
         {"nuget-env", false, false}},
        run_exec,
    };
    return command;
}

} // namespace feedz::cli
