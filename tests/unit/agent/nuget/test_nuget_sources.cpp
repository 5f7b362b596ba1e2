// SPDX-License-Identifier: MIT
#include "environment_guard.hpp"
#include "scratch_directory.hpp"
#include <agent/nuget/nuget_command.hpp>
#include <agent/nuget/nuget_sources.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using feedz::NuGetCommandPlan;
using feedz::Operation;

namespace {

NuGetCommandPlan plan(const std::vector<std::string>& command) {
    return feedz::plan_nuget_command(command);
}

std::string config_with(const std::string& sources, const std::string& more = "") {
    return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <packageSources>\n"
           + sources + "  </packageSources>\n" + more + "</configuration>\n";
}

std::string add(const std::string& key, const std::string& url) {
    return "    <add key=\"" + key + "\" value=\"" + url + "\" />\n";
}

std::vector<std::string> keys_and_urls(const feedz::NuGetSourceDefinitions& definitions) {
    std::vector<std::string> result;
    for (const auto& source : definitions.sources) {
        result.push_back(source.key + "=" + source.url);
    }
    return result;
}

} // namespace

TEST_CASE("plan_nuget_command: push writes, delete manages, the rest reads",
          "[config][nuget_command]") {
    auto push = plan({"dotnet", "nuget", "push", "a.nupkg", "-s", "feedz"});
    CHECK(push.operation == Operation::write);
    CHECK(push.verb == "push");
    CHECK(push.source == "feedz");

    auto long_form = plan(
        {"/usr/bin/dotnet", "nuget", "push", "--source=https://h/o/r/nuget/index.json", "a.nupkg"});
    CHECK(long_form.operation == Operation::write);
    CHECK(long_form.source == "https://h/o/r/nuget/index.json");

    auto no_source = plan({"dotnet", "nuget", "push", "a.nupkg", "--api-key", "x"});
    CHECK(no_source.operation == Operation::write);
    CHECK_FALSE(no_source.source);

    auto remove = plan({"dotnet", "nuget", "delete", "Pkg", "1.0.0", "--source", "feedz"});
    CHECK(remove.operation == Operation::manage);
    CHECK(remove.source == "feedz");

    // nuget.exe (a wrapper script on Linux) takes -Source, case-insensitively.
    auto exe = plan({"nuget", "push", "a.nupkg", "-Source", "feedz"});
    CHECK(exe.operation == Operation::write);
    CHECK(exe.source == "feedz");
    CHECK(plan({"nuget.exe", "delete", "Pkg", "1.0.0"}).operation == Operation::manage);

    for (const auto& command : std::vector<std::vector<std::string>>{
             {"dotnet", "restore", "--source", "https://h/o/r/nuget/index.json"},
             {"dotnet", "build"},
             {"dotnet", "nuget", "list", "source"},
             {"npm", "publish"},
             {"make", "push"},
             {"dotnet"}}) {
        auto read = plan(command);
        CHECK(read.operation == Operation::read);
        CHECK_FALSE(read.source); // a restore's --source adds a source; it is not a target
    }
}

TEST_CASE("plan_nuget_command: --configfile in any command", "[config][nuget_command]") {
    CHECK(plan({"dotnet", "restore", "--configfile", "ci/NuGet.Config"}).config_files
          == std::vector<std::string>{"ci/NuGet.Config"});
    CHECK(plan({"dotnet", "nuget", "push", "a.nupkg", "--configfile=x.config"}).config_files
          == std::vector<std::string>{"x.config"});
    CHECK(plan({"nuget", "restore", "-ConfigFile", "y.config"}).config_files
          == std::vector<std::string>{"y.config"});
    CHECK(plan({"dotnet", "restore"}).config_files.empty());
}

TEST_CASE("plan_nuget_command: MSBuild's RestoreConfigFile and RestoreRootConfigDirectory",
          "[config][nuget_command]") {
    CHECK(plan({"dotnet", "restore", "-p:RestoreConfigFile=ci.config"}).config_files
          == std::vector<std::string>{"ci.config"});
    CHECK(plan({"dotnet", "build", "/p:Configuration=Release;restoreconfigfile=a.config"})
              .config_files
          == std::vector<std::string>{"a.config"});
    CHECK(plan({"dotnet", "build", "--property", "RestoreConfigFile=b.config", "app"}).config_files
          == std::vector<std::string>{"b.config"});
    auto rooted = plan({"dotnet", "restore", "--property:RestoreRootConfigDirectory=/src/repo"});
    CHECK(rooted.root_config_directory == "/src/repo");
    CHECK(rooted.config_files.empty());
    auto other = plan({"dotnet", "build", "-p:Configuration=Release"});
    CHECK(other.config_files.empty());
    CHECK_FALSE(other.root_config_directory);
    // The value of -p is not taken for a subcommand word.
    CHECK(plan({"dotnet", "-p", "X=1", "nuget", "push", "a.nupkg"}).operation == Operation::write);
}

TEST_CASE("nuget_config_files: the walk up, the user's files, the machine's",
          "[config][nuget_sources]") {
    ScratchDirectory scratch;
    EnvironmentVariableGuard machine("NUGET_COMMON_APPLICATION_DATA",
                                     scratch.path("machine").c_str());
    std::string home = scratch.directory("home");
    auto repo_config = scratch.file("repo/nuget.config", config_with(""));
    scratch.file("repo/NuGet.Config", config_with("")); // the first name found wins
    auto app_config = scratch.file("repo/src/app/NuGet.Config", config_with(""));
    std::string app = scratch.directory("repo/src/app");
    scratch.directory("repo/src");
    auto user = scratch.file("home/.nuget/NuGet/NuGet.Config", config_with(""));
    auto extra_b = scratch.file("home/.nuget/NuGet/config/b.config", config_with(""));
    auto extra_a = scratch.file("home/.nuget/NuGet/config/a.Config", config_with(""));
    scratch.file("home/.nuget/NuGet/config/notes.txt", "not a config");
    auto machine_file = scratch.file("machine/NuGet/Config/corp.config", config_with(""));

    CHECK(
        feedz::nuget_config_files(app, home)
        == std::vector<std::string>{app_config, repo_config, user, extra_a, extra_b, machine_file});
    // --configfile: that file and nothing else.
    CHECK(feedz::nuget_config_files(app, home, {user, scratch.path("missing.config")})
          == std::vector<std::string>{user});
}

TEST_CASE("nuget_config_files: a directory given with a trailing slash lists each file once",
          "[config][nuget_sources]") {
    ScratchDirectory scratch;
    EnvironmentVariableGuard machine("NUGET_COMMON_APPLICATION_DATA",
                                     scratch.path("machine").c_str());
    auto config = scratch.file("repo/nuget.config", config_with(""));
    scratch.directory("repo/app");
    CHECK(feedz::nuget_config_files(scratch.path("repo/app/"), scratch.path("home"))
          == std::vector<std::string>{config});
    CHECK(feedz::nuget_config_files(scratch.path("repo/"), scratch.path("home"))
          == std::vector<std::string>{config});
}

TEST_CASE("nuget_configs_below: the projects' own configs, not dependencies or build output",
          "[config][nuget_sources]") {
    ScratchDirectory scratch;
    auto root = scratch.file("repo/nuget.config", config_with(""));
    auto lower = scratch.file("repo/src/a/nuget.config", config_with(""));
    auto upper = scratch.file("repo/src/b/NUGET.CONFIG", config_with(""));
    auto hidden = scratch.file("repo/.tools/lib/nuget.config", config_with(""));
    for (const char* skipped : {"repo/node_modules/x/nuget.config",
                                "repo/.git/nuget.config",
                                "repo/src/a/bin/nuget.config",
                                "repo/src/a/obj/nuget.config"}) {
        scratch.file(skipped, config_with(""));
    }
    scratch.directory("repo/src/nuget.config"); // a directory is not a config
    auto below = feedz::nuget_configs_below(scratch.path("repo"));
    REQUIRE(below);
    CHECK(*below == std::vector<std::string>{hidden, root, lower, upper});
    CHECK_FALSE(feedz::nuget_configs_below(scratch.path("repo"), 3)); // too many to tell
}

TEST_CASE("nuget_source_definitions: every definition, names compared without case",
          "[config][nuget_sources]") {
    ScratchDirectory scratch;
    auto near =
        scratch.file("near.config",
                     config_with(add("feedz", "https://h/acme/near/nuget/index.json")
                                 + "    <Add Key=\"Mixed\" VALUE=\"http://127.0.0.1:1/x\" />\n"
                                 + "    <clear />\n" + "    <add key=\"no-value\" />\n"));
    auto far = scratch.file(
        "far.config",
        "<configuration>\n  <PackageSources>\n"
            + add("FEEDZ", "https://h/acme/far/nuget/index.json")
            + "  </PackageSources>\n  <DisabledPackageSources>\n"
              "    <add key=\"off\" value=\"True\" />\n    <add key=\"on\" value=\"false\" />\n"
              "  </DisabledPackageSources>\n</configuration>\n");
    auto definitions = feedz::nuget_source_definitions({near, far});
    REQUIRE(definitions);
    CHECK(keys_and_urls(*definitions)
          == std::vector<std::string>{"feedz=https://h/acme/near/nuget/index.json",
                                      "Mixed=http://127.0.0.1:1/x",
                                      "no-value=",
                                      "FEEDZ=https://h/acme/far/nuget/index.json"});
    CHECK(definitions->sources[0].file == near);
    CHECK(definitions->sources[0].line == 4);
    CHECK(definitions->disabled == std::vector<std::string>{"off"});
}

TEST_CASE("nuget_source_definitions: a file that is not XML is an error naming it",
          "[config][nuget_sources]") {
    ScratchDirectory scratch;
    auto broken = scratch.file("broken.config", "<configuration>\n  <packageSources>\n");
    auto definitions = feedz::nuget_source_definitions({broken});
    REQUIRE_FALSE(definitions);
    CHECK_THAT(definitions.error().message, Catch::Contains(broken));
}
