// SPDX-License-Identifier: MIT
#include "cli.hpp"

#include <agent/cli/common.hpp>
#include <agent/core/environment.hpp>
#include <agent/version.hpp>

#include <cstdio>
#include <exception>
#include <string_view>

namespace feedz::cli {

namespace {

const std::vector<const Command*>& commands() {
    static const std::vector<const Command*> all = {
        &login_command(),
        &logout_command(),
        &list_command(),
        &disable_command(),
        &enable_command(),
        &exec_command(),
        &serve_command(),
        &stop_command(),
        &doctor_command(),
        &token_helper_command(),
    };
    return all;
}

void print_help() {
    std::printf("usage: feedz-agent COMMAND [OPTIONS]\n"
                "\n"
                "Keeps Feedz personal access tokens in the OS keychain and hands them to dotnet\n"
                "and npm when they need them.\n"
                "\n"
                "commands:\n");
    for (const Command* command : commands()) {
        std::printf("  %-9s %s\n",
                    std::string(command->name).c_str(),
                    std::string(command->summary).c_str());
    }
    std::printf("\n`feedz-agent COMMAND --help` describes a command.\n\nenvironment:\n");
    for (const auto& variable : k_environment_variables) {
        std::printf("  %-24s %s\n",
                    std::string(variable.name).c_str(),
                    std::string(variable.meaning).c_str());
    }
    std::printf("\nexit codes: 0 ok, 1 failed, 2 usage error, 69 agent or keychain unavailable,\n"
                "77 keychain locked or permission denied\n");
}

int dispatch(const Context& context, int argc, char** argv) {
    if (argc < 2) {
        print_help();
        return k_exit_usage;
    }
    std::string_view name = argv[1];
    if (name == "--help" || name == "-h" || name == "help") {
        print_help();
        return k_exit_ok;
    }
    if (name == "--version" || name == "-V" || name == "version") {
        std::printf("feedz-agent %s\n", k_version);
        return k_exit_ok;
    }
    for (const Command* command : commands()) {
        if (command->name != name) {
            continue;
        }
        auto arguments = parse_arguments(argc, argv, 2, command->name, command->options);
        if (!arguments) {
            return report(arguments.error());
        }
        if (arguments->has("help")) {
            std::printf("%s", std::string(command->help).c_str());
            return k_exit_ok;
        }
        auto status = command->run(context, *arguments, argv);
        return status ? *status : report(status.error());
    }
    return report(
        make_error(Errc::invalid_argument,
                   "unknown command '" + std::string(name) + "'; see `feedz-agent --help`"));
}

} // namespace

int run(int argc, char** argv) {
    return run(process_context(), argc, argv);
}

int run(const Context& context, int argc, char** argv) {
    try {
        return dispatch(context, argc, argv);
    } catch (const std::exception& error) {
        return report(make_error(Errc::internal, std::string("internal error: ") + error.what()));
    } catch (...) {
        return report(make_error(Errc::internal, "internal error"));
    }
}

} // namespace feedz::cli
