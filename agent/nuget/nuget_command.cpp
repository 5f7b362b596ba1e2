// SPDX-License-Identifier: MIT
#include "nuget_command.hpp"

#include <agent/util/file.hpp>
#include <agent/util/text.hpp>

#include <algorithm>
#include <cctype>

namespace feedz {

namespace {

// The value of option `names` at `args[i]` ("--source URL" or "--source=URL"), advancing `i`
// past it. dotnet's options are case-sensitive; nuget.exe's ("-Source") are not, so both are
// compared in lower case.
std::optional<std::string> option_value(const std::vector<std::string>& args,
                                        std::size_t& i,
                                        std::initializer_list<std::string_view> names) {
    std::string arg = args[i];
    std::string folded = to_lower(arg);
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

// The NAME=VALUE assignments of an MSBuild property argument at `args[i]` ("-p:A=1;B=2",
// "/property:B=2", "--property:B=2"; "-p" "B=2" as two arguments), advancing `i` past it;
// nullopt when `args[i]` is not one. Names are folded to lower case, as MSBuild ignores case.
std::optional<std::vector<std::pair<std::string, std::string>>>
property_assignments(const std::vector<std::string>& args, std::size_t& i) {
    std::string folded = to_lower(args[i]);
    std::optional<std::string_view> text;
    for (std::string_view prefix : {"-p:", "/p:", "-property:", "/property:", "--property:"}) {
        if (folded.starts_with(prefix)) {
            text = std::string_view(args[i]).substr(prefix.size());
        }
    }
    if (!text && (folded == "-p" || folded == "--property") && i + 1 < args.size()) {
        text = args[++i];
    }
    if (!text) {
        return std::nullopt;
    }
    std::vector<std::pair<std::string, std::string>> assignments;
    std::string_view rest = *text;
    while (!rest.empty()) {
        auto end = rest.find(';');
        auto assignment = rest.substr(0, end);
        auto equals = assignment.find('=');
        if (equals != std::string_view::npos) {
            assignments.emplace_back(to_lower(assignment.substr(0, equals)),
                                     std::string(assignment.substr(equals + 1)));
        }
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    }
    return assignments;
}

} // namespace

NuGetCommandPlan plan_nuget_command(const std::vector<std::string>& command) {
    NuGetCommandPlan plan;
    if (command.empty()) {
        return plan;
    }
    plan.tool = basename_of(command[0]);
    std::string tool = to_lower(plan.tool);
    if (tool.ends_with(".exe")) {
        tool.resize(tool.size() - 4);
    }
    std::vector<std::string> args(command.begin() + 1, command.end());
    // The subcommand's words: "nuget push" for dotnet, "push" for nuget.exe.
    std::vector<std::string> words;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (auto file = option_value(args, i, {"--configfile", "-configfile"})) {
            plan.config_files.push_back(*file);
        } else if (auto properties = property_assignments(args, i)) {
            for (const auto& [name, value] : *properties) {
                if (name == "restoreconfigfile") {
                    plan.config_files.push_back(value);
                } else if (name == "restorerootconfigdirectory") {
                    plan.root_config_directory = value;
                }
            }
        } else if (auto source = option_value(args, i, {"-s", "--source", "-source"})) {
            plan.source = *source;
        } else if (!args[i].starts_with("-") && words.size() < 2) {
            words.push_back(to_lower(args[i]));
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
