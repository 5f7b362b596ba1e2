// SPDX-License-Identifier: MIT
#include "exec_options.hpp"

#include <agent/core/token_rejections.hpp>
#include <agent/nuget/exec_nuget.hpp>
#include <agent/nuget/nuget_command.hpp>
#include <agent/util/process.hpp>

#include <algorithm>

namespace feedz::cli {

namespace {

Error usage(std::string message) {
    return make_error(Errc::invalid_argument, std::move(message));
}

// The words of `command` for a message: the program's name and its first argument.
std::string short_command(const std::vector<std::string>& command) {
    std::string text = command.empty() ? std::string() : command.front();
    if (command.size() > 1) {
        text += " " + command[1] + (command.size() > 2 ? " ..." : "");
    }
    return text;
}

} // namespace

Result<ExecOptions> read_exec_options(const Arguments& arguments) {
    ExecOptions options;
    for (const auto& text : arguments.values("feed")) {
        auto feed = parse_feed(text);
        if (!feed) {
            return feed.error();
        }
        add_feed(options.feeds, *feed);
    }
    if (auto text = arguments.value("access")) {
        auto access = access_from_string(*text);
        if (!access || *access == Access::unknown) {
            return usage("unknown access level '" + *text + "': use read, read-write or full");
        }
        options.access = access;
    }
    options.nuget_env = arguments.has("nuget-env");
    if (auto name = arguments.value("env")) {
        if (!safe_secret_variable_name(*name) || name->starts_with(k_nuget_credentials_variable)) {
            return usage(
                "--env " + quote_argument(*name)
                + ": not a variable a token may go into (a name of letters, digits and "
                  "_, not PATH, HOME, LD_*, NODE_*, NPM_CONFIG_*, YARN_*, GIT_* or another that "
                  "changes how programs run)");
        }
        if (options.feeds.size() != 1) {
            return usage("--env needs the one feed whose token goes into " + *name
                         + ": feedz-agent exec --feed FEED --access LEVEL --env " + *name
                         + " -- COMMAND");
        }
        if (!options.access) {
            return usage("--env needs the token's level: feedz-agent exec --feed "
                         + arguments.values("feed").front()
                         + " --access read|read-write|full --env " + *name + " -- COMMAND");
        }
        options.env = name;
    }
    return options;
}

Operation operation_for(Access access) {
    switch (access) {
    case Access::read_write:
        return Operation::write;
    case Access::full:
        return Operation::manage;
    case Access::read:
    case Access::unknown:
        break;
    }
    return Operation::read;
}

NpmCommandPlan with_chosen_access(NpmCommandPlan plan, const std::optional<Access>& access) {
    if (!access) {
        return plan;
    }
    // Every feed gets the level: a command the user chose for may write anywhere.
    plan.tool = "exec";
    plan.verb = std::string("--access ") + to_string(*access);
    plan.operation = operation_for(*access);
    plan.classified = true;
    plan.target.reset();
    plan.registry.reset();
    plan.many_packages = true;
    return plan;
}

std::optional<std::string> unclassified_command_warning(const std::vector<std::string>& command,
                                                        const NpmCommandPlan& plan,
                                                        const std::vector<Access>& given) {
    if (plan.classified || given.empty()) {
        return std::nullopt;
    }
    // dotnet and nuget are read by the NuGet half.
    auto tool = plan_nuget_command(command).tool;
    if (tool == "dotnet" || tool == "nuget") {
        return std::nullopt;
    }
    std::vector<Access> levels;
    for (Access access : given) {
        if (std::find(levels.begin(), levels.end(), access) == levels.end()) {
            levels.push_back(access);
        }
    }
    std::sort(levels.begin(), levels.end());
    std::string names;
    for (Access access : levels) {
        names += (names.empty() ? "" : ", ") + std::string(feedz_name(access));
    }
    std::string shown = short_command(command);
    return "feedz-agent: warning: exec cannot tell from '" + shown
           + "' whether it publishes, so it gets the least token that reads (" + names
           + "); to choose: feedz-agent exec --access read|read-write|full -- " + shown;
}

Result<SecretString>
feed_token_variable(Agent& agent, const Feed& feed, Access access, const std::string& name) {
    Operation operation = operation_for(access);
    auto lookup = agent.get(feed.root, operation);
    if (!lookup) {
        return lookup.error();
    }
    if (!lookup->token) {
        std::string what = "exec --env " + name;
        if (has_insufficient_access(lookup->rejected)) {
            return needs_access(what, operation, feed.root, lookup->rejected);
        }
        std::string store = "; nothing was run. Store one: feedz-agent login --access "
                            + std::string(to_string(access)) + " --feed " + feed.root;
        if (!lookup->rejected.empty()) {
            return make_error(Errc::not_found,
                              what + ": no usable token for " + feed.root + ": "
                                  + describe_rejections(lookup->rejected) + store);
        }
        return make_error(Errc::not_found, what + ": no stored token covers " + feed.root + store);
    }
    return environment_entry(name + "=", lookup->secret.view());
}

} // namespace feedz::cli
