// SPDX-License-Identifier: MIT
#include "scratch_directory.hpp"
#include <agent/npm/npm_files.hpp>
#include <agent/util/file.hpp>

#include <catch2/catch.hpp>

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

using feedz::NpmEnvironment;

namespace {} // namespace

TEST_CASE("NpmEnvironment: npm_config_* in any case, '_' as '-', last non-empty wins",
          "[config][npm_files]") {
    NpmEnvironment environment(std::vector<std::string>{
        "NPM_CONFIG_USERCONFIG=/a",
        "npm_config_userconfig=/b",
        "Npm_Config_UserConfig=",
        "npm_config_global_config=/g",
        "npm_config_//h/o/r/npm/:_auth=x",
        "HOME=/home/u",
        "EMPTY=",
        "npm_config_=nothing",
    });
    CHECK(environment.config("userconfig") == "/b");
    CHECK(environment.config("global-config") == "/g");
    CHECK(environment.config("//h/o/r/npm/:_auth") == "x");
    CHECK_FALSE(environment.config("//H/o/r/npm/:_auth"));
    CHECK(environment.get("HOME") == "/home/u");
    CHECK(environment.get("EMPTY") == "");
    CHECK_FALSE(environment.get("UNSET"));
    CHECK(NpmEnvironment::names_config("NPM_CONFIG_USERCONFIG", "userconfig"));
    CHECK_FALSE(NpmEnvironment::names_config("NPM_CONFIG_USERCONFIGX", "userconfig"));
    CHECK(NpmEnvironment::config_key("npm_config_@Acme:Registry") == "@acme:registry");
    CHECK_FALSE(NpmEnvironment::config_key("PATH"));
}

TEST_CASE("npm_local_prefix: the nearest ancestor with package.json or node_modules",
          "[config][npm_files]") {
    ScratchDirectory scratch;
    scratch.file("app/package.json", "{}");
    std::string deep = scratch.directory("app/src/lib");
    CHECK(feedz::npm_local_prefix(deep) == scratch.path() + "/app");
    scratch.directory("other/node_modules");
    std::string inside = scratch.directory("other/x");
    CHECK(feedz::npm_local_prefix(inside) == scratch.path() + "/other");
}

TEST_CASE("npm_resolve_path: placeholders, ~ and relative paths", "[config][npm_files]") {
    NpmEnvironment environment(std::vector<std::string>{"DIR=/d"});
    CHECK(feedz::npm_resolve_path("~/.npmrc", environment, "/home/u", "/w") == "/home/u/.npmrc");
    CHECK(feedz::npm_resolve_path("${DIR}/rc", environment, "/home/u", "/w") == "/d/rc");
    CHECK(feedz::npm_resolve_path("rel/rc", environment, "/home/u", "/w") == "/w/rel/rc");
}

TEST_CASE("load_npm_configs: project, user and global as npm finds them", "[config][npm_files]") {
    ScratchDirectory scratch;
    std::string home = scratch.directory("home");
    scratch.file("home/.npmrc", "user=1\n");
    scratch.file("app/package.json", "{}");
    scratch.file("app/.npmrc", "project=1\n");
    std::string cwd = scratch.directory("app/src");
    // A node on PATH gives the default global prefix, two levels up.
    scratch.file("node/bin/node", "#!/bin/sh\n");
    ::chmod((scratch.path() + "/node/bin/node").c_str(), 0755);
    scratch.file("node/etc/npmrc", "global=1\n");
    NpmEnvironment environment(
        std::vector<std::string>{"PATH=/nonexistent:" + scratch.path() + "/node/bin"});

    auto configs = feedz::load_npm_configs(cwd, environment, home);
    REQUIRE(configs);
    CHECK(configs->local_prefix == scratch.path() + "/app");
    REQUIRE(configs->project);
    CHECK(configs->project->path() == scratch.path() + "/app/.npmrc");
    CHECK(configs->user.path() == home + "/.npmrc");
    REQUIRE(configs->global);
    CHECK(configs->global->path() == scratch.path() + "/node/etc/npmrc");
    CHECK(configs->files().size() == 3);
    CHECK(configs->value("project", environment) == "1");
    CHECK(configs->value("global", environment) == "1");
    CHECK_FALSE(configs->value("missing", environment));
}

TEST_CASE("load_npm_configs: userconfig from the environment or the project file",
          "[config][npm_files]") {
    ScratchDirectory scratch;
    std::string home = scratch.directory("home");
    std::string alternative = scratch.file("alt/npmrc", "from=alt\n");
    scratch.file("app/package.json", "{}");
    scratch.file("app/.npmrc", "userconfig=" + scratch.path() + "/redirected/npmrc\n");
    std::string cwd = scratch.path() + "/app";

    NpmEnvironment by_environment(std::vector<std::string>{"NPM_CONFIG_USERCONFIG=" + alternative});
    auto configs = feedz::load_npm_configs(cwd, by_environment, home);
    REQUIRE(configs);
    CHECK(configs->user.path() == alternative);
    CHECK(configs->value("from", by_environment) == "alt");
    CHECK(feedz::npm_user_config_path(by_environment, home, cwd) == alternative);

    NpmEnvironment plain(std::vector<std::string>{});
    auto redirected = feedz::load_npm_configs(cwd, plain, home);
    REQUIRE(redirected);
    CHECK(redirected->user.path() == scratch.path() + "/redirected/npmrc");
    CHECK_FALSE(redirected->user.exists());
    // login writes where the environment says, not where a project redirects.
    CHECK(feedz::npm_user_config_path(plain, home, cwd) == home + "/.npmrc");
}

TEST_CASE("load_npm_configs: the project file is skipped when it is the user file",
          "[config][npm_files]") {
    ScratchDirectory scratch;
    std::string home = scratch.directory("home");
    scratch.directory("home/node_modules");
    scratch.file("home/.npmrc", "x=1\n");
    NpmEnvironment environment(std::vector<std::string>{});
    auto configs = feedz::load_npm_configs(home, environment, home);
    REQUIRE(configs);
    CHECK_FALSE(configs->project);
}

TEST_CASE("load_npm_configs: the global file from globalconfig, prefix or $PREFIX",
          "[config][npm_files]") {
    ScratchDirectory scratch;
    std::string home = scratch.directory("home");
    std::string cwd = scratch.directory("work");
    NpmEnvironment by_globalconfig(
        std::vector<std::string>{"npm_config_globalconfig=" + scratch.path() + "/g1"});
    auto configs = feedz::load_npm_configs(cwd, by_globalconfig, home);
    REQUIRE(configs);
    REQUIRE(configs->global);
    CHECK(configs->global->path() == scratch.path() + "/g1");

    scratch.file("home/.npmrc", "prefix=~/.npm-global\n");
    NpmEnvironment plain(std::vector<std::string>{"PREFIX=/ignored"});
    configs = feedz::load_npm_configs(cwd, plain, home);
    REQUIRE(configs);
    CHECK(configs->global->path() == home + "/.npm-global/etc/npmrc");

    ::unlink((home + "/.npmrc").c_str());
    configs = feedz::load_npm_configs(cwd, plain, home);
    REQUIRE(configs);
    CHECK(configs->global->path() == "/ignored/etc/npmrc");

    NpmEnvironment nothing(std::vector<std::string>{"PATH=/nonexistent"});
    configs = feedz::load_npm_configs(cwd, nothing, home);
    REQUIRE(configs);
    CHECK_FALSE(configs->global);
}

TEST_CASE("load_npm_configs: an unreadable project file is noted, an unreadable user file fails",
          "[config][npm_files]") {
    ScratchDirectory scratch;
    std::string home = scratch.directory("home");
    scratch.file("app/package.json", "{}");
    scratch.file("app/.npmrc", std::string("a\0b\n", 4));
    NpmEnvironment environment(std::vector<std::string>{});
    auto configs = feedz::load_npm_configs(scratch.path() + "/app", environment, home);
    REQUIRE(configs);
    CHECK_FALSE(configs->project);
    REQUIRE(configs->unreadable.size() == 1);
    CHECK(configs->unreadable[0].first == scratch.path() + "/app/.npmrc");

    scratch.file("home/.npmrc", std::string("a\0b\n", 4));
    CHECK_FALSE(feedz::load_npm_configs(scratch.path() + "/app", environment, home));
}
