// SPDX-License-Identifier: MIT
#include "nuget_command.hpp"

#include <algorithm>
#include <cctype>

namespace feedz {

namespace {

std::string lower(std::string_view text) {
    std::string result(text);
    std::transform(result.begin(), result.end(), result.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
    });
    return result;
}

std::string basename_of(std::string_view path) {
    auto slash = path.rfind('/');
    return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

// The value of option `names` at `args[i]` ("--source URL" or "--source=URL"), advancing `i`
// past it. dotnet's options are case-sensitive; nuget.exe's ("-Source") are not, so both are
// compared in lower case.
std::optional<std::string> option_value(const std::vector<std::string>& args,
                                        std::size_t& i,
                                        std::initializer_list<std::string_view> names) {
    std::string arg = args[i];
    std::string folded = lower(arg);
    for (std::string_view name : names) {
        if (folded == name) {
            if (i + 1 < args.size()) {
                return args[++i];
            }
            return std::nullopt;
        }
        if (folded.starts_with(std::string(name) + "=")
            || folded.starts_with(std::string(name) + ":")) {
            return arg.substr(name.size() + 1);
        }
    }
    return std::nullopt;
}

} // namespace

NuGetCommandPlan plan_nuget_command(const std::vector<std::string>& command) {
    NuGetCommandPlan plan;
    if (command.empty()) {
        return plan;
    }
    plan.tool = basename_of(command[0]);
    std::string tool = lower(plan.tool);
    if (tool.ends_with(".exe")) {
        tool.resize(tool.size() - 4);
    }
    std::vector<std::string> args(command.begin() + 1, command.end());
    // The subcommand's words: "nuget push" for dotnet, "push" for nuget.exe.
    std::vector<std::string> words;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (auto file = option_value(args, i, {"--configfile", "-configfile"})) {
            plan.config_files.push_back(*file);
        } else if (auto source = option_value(args, i, {"-s", "--source", "-source"})) {
            plan.source = *source;
        } else if (!args[i].starts_with("-") && words.size() < 2) {
            words.push_back(lower(args[i]));
        }
    }
    std::string verb;
    if (tool == "dotnet" && words.size() >= 2 && words[0] == "nuget") {
        verb = words[1];
    } else if (tool == "nuget" && !words.empty()) {
        verb = words[0];
    }
    if (verb == "push") {
        plan.verb = verb;
        plan.operation = Operation::write;
    } else if (verb == "delete") {
        plan.verb = verb;
        plan.operation = Operation::manage;
    } else {
        plan.source.reset(); // restore's --source adds sources; it does not pick a target
    }
    return plan;
}

} // namespace feedz
