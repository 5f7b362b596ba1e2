// SPDX-License-Identifier: MIT
#include <agent/cli/common.hpp>
#include <agent/cli/exec_options.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using feedz::Access;
using feedz::Errc;
using feedz::Operation;
using feedz::cli::ExecOptions;

namespace {

// exec's options as `feedz-agent exec ARGS... -- true` gives them.
feedz::Result<ExecOptions> read(std::vector<std::string> args) {
    std::vector<std::string> storage{"feedz-agent", "exec"};
    storage.insert(storage.end(), args.begin(), args.end());
    storage.insert(storage.end(), {"--", "true"});
    std::vector<char*> argv;
    for (auto& arg : storage) {
        argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    const auto& command = feedz::cli::exec_command();
    auto arguments = feedz::parse_arguments(
        static_cast<int>(storage.size()), argv.data(), 2, "exec", command.options);
    REQUIRE(arguments);
    return feedz::cli::read_exec_options(*arguments);
}

feedz::NpmCommandPlan plan(const std::vector<std::string>& command) {
    return feedz::plan_npm_command(command);
}

} // namespace

TEST_CASE("exec options: --feed, --access and --env", "[exec_options]") {
    auto none = read({});
    REQUIRE(none);
    CHECK(none->feeds.empty());
    CHECK_FALSE(none->access);
    CHECK_FALSE(none->env);

    auto all = read({"--feed",
                     "acme/pkgs",
                     "--feed",
                     "https://f.feedz.io/acme/pkgs/npm/",
                     "--access",
                     "read-write",
                     "--env",
                     "FEEDZ_API_KEY"});
    REQUIRE(all);
    REQUIRE(all->feeds.size() == 1); // one feed, named twice
    CHECK(all->feeds[0].root == "https://f.feedz.io/acme/pkgs/");
    CHECK(all->access == Access::read_write);
    CHECK(all->env == "FEEDZ_API_KEY");
    CHECK(read({"--access", "full"})->access == Access::full);
    CHECK(read({"--access", "read"})->access == Access::read);
}

TEST_CASE("exec options: what is refused before anything runs", "[exec_options]") {
    auto refused = [](std::vector<std::string> args) {
        auto options = read(std::move(args));
        REQUIRE_FALSE(options);
        CHECK(options.error().code == Errc::invalid_argument);
        return options.error().message;
    };
    CHECK_THAT(refused({"--access", "admin"}),
               Catch::Contains("unknown access level 'admin'")
                   && Catch::Contains("read, read-write or full"));
    CHECK_THAT(refused({"--access", "unknown"}), Catch::Contains("unknown access level"));
    CHECK_THAT(refused({"--feed", "not a feed"}), !Catch::Contains("token"));
    // --env: one feed and a level, and a name a token may go into.
    CHECK_THAT(refused({"--access", "read", "--env", "TOKEN"}),
               Catch::Contains("--env needs the one feed"));
    CHECK_THAT(refused({"--feed", "a/b", "--feed", "c/d", "--access", "read", "--env", "T"}),
               Catch::Contains("--env needs the one feed"));
    CHECK_THAT(refused({"--feed", "a/b", "--env", "TOKEN"}),
               Catch::Contains("--env needs the token's level")
                   && Catch::Contains("--access read|read-write|full"));
    for (std::string name : {"",
                             "1TOKEN",
                             "MY-TOKEN",
                             "A=B",
                             "PATH",
                             "LD_PRELOAD",
                             "HOME",
                             "NODE_OPTIONS",
                             "npm_config_registry",
                             "NPM_CONFIG_USERCONFIG",
                             "BASH_ENV",
                             "GIT_SSH_COMMAND",
                             "NuGetPackageSourceCredentials_x"}) {
        INFO(name);
        CHECK_THAT(refused({"--feed", "a/b", "--access", "read", "--env", name}),
                   Catch::Contains("not a variable a token may go into"));
    }
    for (std::string name : {"FEEDZ_API_KEY", "TOKEN", "_t", "npm_token"}) {
        INFO(name);
        CHECK(read({"--feed", "a/b", "--access", "read", "--env", name}));
    }
}

TEST_CASE("exec options: --access overrides the command line's level", "[exec_options]") {
    using feedz::cli::with_chosen_access;
    auto publish = plan({"npm", "publish"});
    CHECK(with_chosen_access(publish, std::nullopt).operation == Operation::write);
    CHECK(with_chosen_access(publish, std::nullopt).verb == "publish");

    auto lowered = with_chosen_access(publish, Access::read);
    CHECK(lowered.operation == Operation::read);
    auto script = with_chosen_access(plan({"sh", "-c", "npm publish"}), Access::read_write);
    CHECK(script.operation == Operation::write);
    CHECK(script.classified);
    CHECK(script.tool + " " + script.verb == "exec --access read-write");
    CHECK(with_chosen_access(plan({"make", "clean"}), Access::full).operation == Operation::manage);
    // A chosen level goes to every feed: no write target is read from the command line.
    auto targeted = with_chosen_access(
        plan({"npm", "publish", "--registry", "https://r.example/", "x"}), Access::read_write);
    CHECK_FALSE(targeted.registry);
    CHECK_FALSE(targeted.target);
}

TEST_CASE("exec options: the warning for a command exec cannot read", "[exec_options]") {
    using feedz::cli::unclassified_command_warning;
    std::vector<std::string> command{"sh", "-c", "npm publish"};
    auto warning = unclassified_command_warning(command, plan(command), {Access::read});
    REQUIRE(warning);
    CHECK(warning->find('\n') == std::string::npos);
    CHECK_THAT(*warning,
               Catch::StartsWith("feedz-agent: warning: ") && Catch::Contains("'sh -c ...'")
                   && Catch::Contains("(Read)")
                   && Catch::Contains("feedz-agent exec --access read|read-write|full -- sh -c"));
    auto levels = unclassified_command_warning(
        {"make", "publish"}, plan({"make", "publish"}), {Access::read_write, Access::read});
    REQUIRE(levels);
    CHECK_THAT(*levels, Catch::Contains("(Read, Read/Write)"));

    // None: a command exec reads, a level chosen, dotnet (the NuGet half reads it), or no
    // token given at all.
    CHECK_FALSE(unclassified_command_warning(
        {"npm", "publish"}, plan({"npm", "publish"}), {Access::read_write}));
    CHECK_FALSE(unclassified_command_warning(
        command, feedz::cli::with_chosen_access(plan(command), Access::read), {Access::read}));
    CHECK_FALSE(unclassified_command_warning(
        {"dotnet", "restore"}, plan({"dotnet", "restore"}), {Access::read}));
    CHECK_FALSE(unclassified_command_warning(command, plan(command), {}));
}
