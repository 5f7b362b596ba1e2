// SPDX-License-Identifier: MIT
#include "exec_options.hpp"

#include <agent/nuget/nuget_command.hpp>

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

} // namespace feedz::cli
