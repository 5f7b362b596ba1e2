// SPDX-License-Identifier: MIT
#include "environment_guard.hpp"
#include "scratch_directory.hpp"
#include <agent/config/nuget_command.hpp>
#include <agent/config/nuget_sources.hpp>

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

std::vector<std::string> keys_and_urls(const std::vector<feedz::NuGetSource>& sources) {
    std::vector<std::string> result;
    for (const auto& source : sources) {
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

TEST_CASE("merged_nuget_sources: nearest key wins, <clear /> and disabled sources",
          "[config][nuget_sources]") {
    ScratchDirectory scratch;
    auto near =
        scratch.file("near.config",
                     config_with(add("feedz", "https://h/acme/near/nuget/index.json")
                                 + add("Other Feed", "https://h/acme/other/nuget/index.json")));
    auto far =
        scratch.file("far.config",
                     config_with(add("FEEDZ", "https://h/acme/far/nuget/index.json")
                                     + add("nuget.org", "https://api.nuget.org/v3/index.json")
                                     + add("off", "https://h/acme/off/nuget/index.json"),
                                 "  <disabledPackageSources>\n    <add key=\"off\" "
                                 "value=\"true\" />\n  </disabledPackageSources>\n"));
    auto merged = feedz::merged_nuget_sources({near, far});
    REQUIRE(merged);
    CHECK(keys_and_urls(*merged)
          == std::vector<std::string>{"feedz=https://h/acme/near/nuget/index.json",
                                      "Other Feed=https://h/acme/other/nuget/index.json",
                                      "nuget.org=https://api.nuget.org/v3/index.json"});
    CHECK((*merged)[0].file == near);

    auto clearing = scratch.file(
        "clear.config",
        config_with("    <clear />\n" + add("only", "https://h/acme/only/nuget/index.json")));
    auto cleared = feedz::merged_nuget_sources({clearing, far});
    REQUIRE(cleared);
    CHECK(keys_and_urls(*cleared)
          == std::vector<std::string>{"only=https://h/acme/only/nuget/index.json"});
}

TEST_CASE("merged_nuget_sources: a file that is not XML is an error naming it",
          "[config][nuget_sources]") {
    ScratchDirectory scratch;
    auto broken = scratch.file("broken.config", "<configuration>\n  <packageSources>\n");
    auto merged = feedz::merged_nuget_sources({broken});
    REQUIRE_FALSE(merged);
    CHECK_THAT(merged.error().message, Catch::Contains(broken));
}
