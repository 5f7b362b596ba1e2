// SPDX-License-Identifier: MIT
#include "scratch_directory.hpp"
#include <agent/npm/npm_command.hpp>
#include <agent/util/file.hpp>

#include <catch2/catch.hpp>

#include <stdlib.h>
#include <sys/stat.h>

#include <string>
#include <vector>

using feedz::NpmCommandPlan;
using feedz::Operation;

namespace {

NpmCommandPlan plan(const std::vector<std::string>& command) {
    return feedz::plan_npm_command(command);
}

} // namespace

TEST_CASE("npm_resolve_verb: npm's aliases, abbreviations and camelCase", "[config][npm_command]") {
    CHECK(feedz::npm_resolve_verb("publish") == "publish");
    CHECK(feedz::npm_resolve_verb("pub") == "publish");
    CHECK(feedz::npm_resolve_verb("publ") == "publish");
    CHECK(feedz::npm_resolve_verb("unp") == "unpublish");
    CHECK(feedz::npm_resolve_verb("dep") == "deprecate");
    CHECK(feedz::npm_resolve_verb("dist-tags") == "dist-tag");
    CHECK(feedz::npm_resolve_verb("distTag") == "dist-tag");
    CHECK(feedz::npm_resolve_verb("i") == "install");
    CHECK(feedz::npm_resolve_verb("isntall-clean") == "ci");
    CHECK(feedz::npm_resolve_verb("install-cl") == "ci");
    CHECK(feedz::npm_resolve_verb("dist").empty()); // dist-tag or dist-tags
    CHECK(feedz::npm_resolve_verb("u") == "update");
    CHECK(feedz::npm_resolve_verb("nonsense").empty());
}

TEST_CASE("plan_npm_command: npm writes only for what changes the registry",
          "[config][npm_command]") {
    CHECK(plan({"npm", "install"}).operation == Operation::read);
    CHECK(plan({"npm", "ci"}).operation == Operation::read);
    CHECK(plan({"npm", "--version"}).operation == Operation::read);
    CHECK(plan({"npm", "view", "@a/b"}).operation == Operation::read);
    CHECK(plan({"npm", "i", "publish"}).operation == Operation::read); // a package named so
    CHECK(plan({"npm", "run", "publish"}).operation == Operation::read);
    CHECK(plan({"npm", "dist-tag", "ls", "@a/b"}).operation == Operation::read);
    CHECK(plan({"npm", "publish"}).operation == Operation::write);
    CHECK(plan({"npm", "pub"}).operation == Operation::write);
    CHECK(plan({"/usr/bin/npm", "publish"}).tool == "npm");
    CHECK(plan({"npm", "deprecate", "@a/b@1", "old"}).operation == Operation::write);
    CHECK(plan({"npm", "undeprecate", "@a/b@1"}).operation == Operation::write);
    CHECK(plan({"npm", "dist-tag", "add", "@a/b@1", "beta"}).operation == Operation::write);
    CHECK(plan({"npm", "dist-tag", "rm", "@a/b", "beta"}).operation == Operation::write);
    CHECK(plan({"npm", "unpublish", "@a/b@1"}).operation == Operation::manage);
}

TEST_CASE("plan_npm_command: options before the subcommand, targets and --registry",
          "[config][npm_command]") {
    auto p =
        plan({"npm", "--registry", "https://r.example/x/", "--tag", "next", "publish", "./pkg"});
    CHECK(p.operation == Operation::write);
    CHECK(p.verb == "publish");
    CHECK(p.registry == "https://r.example/x/");
    CHECK(p.target == "./pkg");
    auto q = plan({"npm", "publish", "--registry=https://r.example/y/", "--dry-run"});
    CHECK(q.registry == "https://r.example/y/");
    CHECK_FALSE(q.target);
    auto r = plan({"npm", "dist-tag", "add", "@a/b@1.0.0", "beta"});
    CHECK(r.target == "@a/b@1.0.0");
    CHECK_FALSE(plan({"npm", "install", "x"}).target);
}

TEST_CASE("plan_npm_command: pnpm, yarn, bun and the rest", "[config][npm_command]") {
    CHECK(plan({"pnpm", "publish"}).operation == Operation::write);
    CHECK(plan({"pnpm", "-r", "publish"}).operation == Operation::write);
    CHECK(plan({"pnpm", "install"}).operation == Operation::read);
    CHECK(plan({"yarn", "npm", "publish"}).operation == Operation::write);
    CHECK(plan({"yarn", "publish"}).operation == Operation::write);
    CHECK(plan({"yarn", "npm", "tag", "add", "@a/b@1", "beta"}).operation == Operation::write);
    CHECK(plan({"yarn", "npm", "tag", "list"}).operation == Operation::read);
    CHECK(plan({"yarn", "install"}).operation == Operation::read);
    CHECK(plan({"bun", "publish"}).operation == Operation::write);
    CHECK(plan({"bun", "install"}).operation == Operation::read);
    CHECK(plan({"npx", "publish"}).operation == Operation::read);
    CHECK(plan({"make", "publish"}).operation == Operation::read);
    CHECK(plan({}).operation == Operation::read);
}

TEST_CASE("npm_write_registry: where npm sends a publish", "[config][npm_command]") {
    ScratchDirectory scratch;
    const std::string feed = "https://f.feedz.io/acme/pkgs/npm/";
    feedz::NpmConfigs configs;
    configs.user =
        feedz::Npmrc::parse("@acme:registry=" + feed + "\nregistry=https://r.example/\n");
    feedz::NpmEnvironment environment(std::vector<std::string>{});
    auto target = [&](const std::vector<std::string>& command) {
        return feedz::npm_write_registry(plan(command), configs, environment, scratch.path());
    };

    scratch.file("package.json", R"({"name":"@acme/lib","version":"1.0.0"})");
    CHECK(target({"npm", "publish"}) == feed);
    CHECK(target({"npm", "publish", "--registry", "https://x.example/"}) == "https://x.example/");
    scratch.file("unscoped/package.json", R"({"name":"lib","version":"1.0.0"})");
    CHECK(target({"npm", "publish", "unscoped"}) == "https://r.example/");
    scratch.file("configured/package.json",
                 R"({"name":"lib","publishConfig":{"registry":"https://p.example/"}})");
    CHECK(target({"npm", "publish", "./configured"}) == "https://p.example/");
    CHECK(target({"npm", "deprecate", "@acme/lib@1.0.0", "old"}) == feed);
    CHECK(target({"npm", "unpublish", "other@1.0.0"}) == "https://r.example/");
    CHECK_FALSE(target({"npm", "publish", "acme-lib-1.0.0.tgz"}));

    feedz::NpmEnvironment scoped_environment(
        std::vector<std::string>{"NPM_CONFIG_@ACME:REGISTRY=https://e.example/"});
    CHECK(feedz::npm_write_registry(
              plan({"npm", "publish"}), configs, scoped_environment, scratch.path())
          == "https://e.example/");

    feedz::NpmConfigs bare;
    CHECK(feedz::npm_write_registry(
              plan({"npm", "publish", "unscoped"}), bare, environment, scratch.path())
          == "https://registry.npmjs.org/");
}
