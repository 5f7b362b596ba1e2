// SPDX-License-Identifier: MIT
#include "cli.hpp"

#include "admin_commands.hpp"
#include "arguments.hpp"
#include "error.hpp"
#include "pack_commands.hpp"
#include "server.hpp"

#include <Poco/Exception.h>

#include <iostream>
#include <string>
#include <vector>

namespace feed {

namespace {

constexpr int k_max_revocation_delay = 15;

constexpr const char* k_usage = R"(usage: feedz-test-feed COMMAND [ARGS]

A local HTTPS server that treats personal access tokens as Feedz does, for tests.

  serve --data DIR --port-file FILE --cert PEM --key PEM
        [--revocation-delay SECONDS] [--max-body BYTES] [--owner-pid PID]
        [--clock-offset SECONDS]
  repo create --data DIR ORG/REPO [--public]
  repo list --data DIR
  token create --data DIR --name NAME --access read|read-write|full [--expires YYYY-MM-DD]
  token list --data DIR
  token deactivate --data DIR PREFIX
  token activate --data DIR PREFIX
  package add --data DIR ORG/REPO FILE.nupkg|FILE.tgz...
  pack nupkg ID VERSION OUTDIR [--nuspec FILE]
  pack npm NAME VERSION OUTDIR

See tests/feed/README.md.
)";

long parse_number(const std::string& option, const std::string& text, long minimum, long maximum) {
    std::size_t used = 0;
    long value = 0;
    try {
        value = std::stol(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != text.size() || value < minimum || value > maximum) {
        throw UsageError(option + " must be a whole number from " + std::to_string(minimum) + " to "
                         + std::to_string(maximum));
    }
    return value;
}

int run_serve(Arguments& args) {
    args.accept_only({"--data",
                      "--port-file",
                      "--cert",
                      "--key",
                      "--revocation-delay",
                      "--max-body",
                      "--owner-pid",
                      "--clock-offset"});
    ServeOptions options;
    options.data = args.required_option("--data");
    options.port_file = args.required_option("--port-file");
    options.cert = args.required_option("--cert");
    options.key = args.required_option("--key");
    if (auto delay = args.option("--revocation-delay")) {
        options.settings.revocation_delay = std::chrono::seconds(
            parse_number("--revocation-delay", *delay, 0, k_max_revocation_delay));
    }
    if (auto max_body = args.option("--max-body")) {
        options.settings.max_body =
            static_cast<std::size_t>(parse_number("--max-body", *max_body, 1024, 1L << 32));
    }
    if (auto offset = args.option("--clock-offset")) {
        options.settings.clock_offset = std::chrono::seconds(
            parse_number("--clock-offset", *offset, -86400 * 365, 86400 * 365));
    }
    if (auto owner = args.option("--owner-pid")) {
        options.owner = static_cast<pid_t>(parse_number("--owner-pid", *owner, 0, 1L << 22));
    }
    args.positionals(0, "serve --data DIR --port-file FILE --cert PEM --key PEM");
    return serve(options);
}

int dispatch(const std::string& command, const std::string& sub, Arguments& args) {
    if (command == "serve") {
        return run_serve(args);
    }
    if (command == "repo" && sub == "create") {
        return repo_create(args);
    }
    if (command == "repo" && sub == "list") {
        return repo_list(args);
    }
    if (command == "token" && sub == "create") {
        return token_create(args);
    }
    if (command == "token" && sub == "list") {
        return token_list(args);
    }
    if (command == "token" && (sub == "deactivate" || sub == "activate")) {
        return token_set_active(args, sub == "activate");
    }
    if (command == "package" && sub == "add") {
        return package_add(args);
    }
    if (command == "pack" && sub == "nupkg") {
        return pack_nupkg(args);
    }
    if (command == "pack" && sub == "npm") {
        return pack_npm(args);
    }
    throw UsageError("unknown command \"" + command + (sub.empty() ? "" : " " + sub)
                     + "\"; run feedz-test-feed --help");
}

} // namespace

int run_cli(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    bool help = false;
    for (const auto& arg : args) {
        help = help || arg == "--help" || arg == "-h";
    }
    if (args.empty() || help || args[0] == "help") {
        std::cout << k_usage;
        return args.empty() ? 2 : 0;
    }
    std::string command = args[0];
    std::string sub;
    std::size_t consumed = 1;
    if (command != "serve" && args.size() > 1) {
        sub = args[1];
        consumed = 2;
    }
    Arguments rest(
        std::vector<std::string>(args.begin() + static_cast<std::ptrdiff_t>(consumed), args.end()));
    try {
        return dispatch(command, sub, rest);
    } catch (const UsageError& e) {
        std::cerr << "feedz-test-feed: " << e.what() << "\n";
        return 2;
    } catch (const FeedError& e) {
        std::cerr << "feedz-test-feed: error: " << e.what() << "\n";
        return 1;
    } catch (const Poco::Exception& e) {
        std::cerr << "feedz-test-feed: error: " << e.displayText() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "feedz-test-feed: error: " << e.what() << "\n";
        return 1;
    }
}

} // namespace feed
