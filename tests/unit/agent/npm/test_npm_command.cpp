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

TEST_CASE("plan_npm_command: npm's options that take a value", "[config][npm_command]") {
    // Each value would otherwise be read as the subcommand or as the package.
    for (const std::vector<std::string>& options :
         std::vector<std::vector<std::string>>{{"--tag", "beta"},
                                               {"--otp", "123456"},
                                               {"--access", "public"},
                                               {"--registry", "https://r.example/"},
                                               {"--reg", "https://r.example/"},
                                               {"-C", "dir"},
                                               {"--prefix", "dir"},
                                               {"--loglevel", "silly"},
                                               {"-w", "packages/a"},
                                               {"--workspace", "packages/a"},
                                               {"-L", "project"},
                                               {"--userconfig", "/tmp/x"},
                                               {"--dry-run", "false"},
                                               {"--browser", "firefox"}}) {
        std::vector<std::string> before{"npm"};
        before.insert(before.end(), options.begin(), options.end());
        before.emplace_back("publish");
        INFO(options[0]);
        auto p = plan(before);
        CHECK(p.verb == "publish");
        CHECK(p.operation == Operation::write);
        std::vector<std::string> after{"npm", "publish"};
        after.insert(after.end(), options.begin(), options.end());
        CHECK_FALSE(plan(after).target);
    }
    CHECK(plan({"npm", "--dry-run", "publish"}).operation == Operation::write); // a flag
    CHECK(plan({"npm", "-C", "pkg", "publish"}).directory == "pkg");
    CHECK(plan({"npm", "--prefix=pkg", "publish"}).directory == "pkg");
    CHECK(plan({"npm", "--reg", "https://r.example/", "pub"}).registry == "https://r.example/");
    CHECK(plan({"npm", "publish", "--", "--tag"}).target == "--tag");
    CHECK(plan({"npm", "-w", "a", "publish"}).many_packages);
    CHECK(plan({"npm", "--workspaces", "publish"}).many_packages);
    CHECK_FALSE(plan({"npm", "publish"}).many_packages);
}

TEST_CASE("plan_npm_command: pnpm's options and commands", "[config][npm_command]") {
    auto filtered = plan({"pnpm", "--filter", "x", "publish"});
    CHECK(filtered.operation == Operation::write);
    CHECK(filtered.many_packages);
    CHECK_FALSE(filtered.target);
    CHECK(plan({"pnpm", "-F", "x", "publish"}).operation == Operation::write);
    CHECK(plan({"pnpm", "-C", "pkg", "publish"}).directory == "pkg");
    CHECK(plan({"pnpm", "--dir", "pkg", "publish"}).directory == "pkg");
    // pnpm's -w is --workspace-root, a flag: "publish" is the subcommand, not its value.
    CHECK(plan({"pnpm", "-w", "publish"}).operation == Operation::write);
    auto p = plan({"pnpm", "publish", "--tag", "beta", "--access", "public", "--otp", "1", "dist"});
    CHECK(p.target == "dist");
    CHECK(plan({"pnpm", "publish", "--publish-branch", "main"}).target == std::nullopt);
    CHECK(plan({"pnpm", "recursive", "publish"}).operation == Operation::write);
    CHECK(plan({"pnpm", "unpublish", "@a/b@1"}).operation == Operation::manage);
    CHECK(plan({"pnpm", "deprecate", "@a/b@1", "old"}).operation == Operation::write);
    CHECK(plan({"pnpm", "dist-tag", "add", "@a/b@1", "beta"}).operation == Operation::write);
    CHECK(plan({"pnpm", "add", "publish"}).operation == Operation::read);
    CHECK(plan({"pnpm", "install"}).classified);
    CHECK_FALSE(plan({"pnpm", "run", "release"}).classified);
    CHECK_FALSE(plan({"pnpm", "release"}).classified); // pnpm runs a script of that name
    CHECK_FALSE(plan({"pnpm", "test"}).classified);
}

TEST_CASE("plan_npm_command: yarn 1's and yarn 4's options and commands", "[config][npm_command]") {
    auto p = plan({"yarn", "publish", "--new-version", "1.0.1"});
    CHECK(p.operation == Operation::write);
    CHECK_FALSE(p.target);
    CHECK(plan({"yarn", "publish", "--tag", "beta", "--access", "public", "./dist"}).target
          == "./dist");
    CHECK(plan({"yarn", "publish", "--message", "v%s", "--otp", "1"}).target == std::nullopt);
    CHECK(plan({"yarn", "publish", "--tag", "--access", "public"}).target == std::nullopt);
    CHECK(plan({"yarn", "--cwd", "pkg", "publish"}).directory == "pkg");
    CHECK(plan({"yarn", "--registry", "https://r.example/", "publish"}).registry
          == "https://r.example/");
    CHECK(plan({"yarnpkg", "publish"}).operation == Operation::write);
    CHECK(plan({"yarnpkg", "publish"}).tool == "yarn");
    CHECK(plan({"yarn", "tag", "add", "@a/b@1", "beta"}).target == "@a/b@1");
    CHECK(plan({"yarn", "tag", "list", "@a/b"}).operation == Operation::read);
    CHECK(plan({"yarn", "npm", "publish", "--tag", "beta", "--access", "public"}).operation
          == Operation::write);
    CHECK(plan({"yarn", "npm", "tag", "remove", "@a/b", "beta"}).operation == Operation::write);
    CHECK(plan({"yarn", "npm", "info", "@a/b"}).classified);
    auto workspace = plan({"yarn", "workspace", "@acme/lib", "npm", "publish"});
    CHECK(workspace.operation == Operation::write);
    CHECK(workspace.target == "@acme/lib");
    auto each = plan({"yarn", "workspaces", "foreach", "-A", "--exclude", "x", "npm", "publish"});
    CHECK(each.operation == Operation::write);
    CHECK(each.many_packages);
    CHECK(plan({"yarn"}).classified);
    CHECK(plan({"yarn", "add", "publish"}).operation == Operation::read);
    CHECK_FALSE(plan({"yarn", "release"}).classified); // a script
    CHECK_FALSE(plan({"yarn", "run", "publish"}).classified);
    CHECK_FALSE(plan({"yarn", "workspaces", "run", "publish"}).classified);
}

TEST_CASE("plan_npm_command: bun's options and commands", "[config][npm_command]") {
    auto p = plan({"bun", "publish", "--tag", "beta", "--access", "public", "--otp", "1"});
    CHECK(p.operation == Operation::write);
    CHECK_FALSE(p.target);
    CHECK(plan({"bun", "publish", "--registry", "https://r.example/", "./a.tgz"}).target
          == "./a.tgz");
    CHECK(plan({"bun", "publish", "--cwd", "pkg"}).directory == "pkg");
    CHECK(plan({"bun", "--silent", "publish"}).operation == Operation::write);
    CHECK(plan({"bun", "install"}).classified);
    CHECK(plan({"bun", "--version"}).classified);
    CHECK_FALSE(plan({"bun", "run", "publish"}).classified);
    CHECK_FALSE(plan({"bun", "index.ts"}).classified);
}

TEST_CASE("plan_npm_command: programs that run a package's command", "[config][npm_command]") {
    CHECK(plan({"npx", "npm", "publish"}).operation == Operation::write);
    CHECK(plan({"npx", "-y", "pnpm@10", "publish"}).operation == Operation::write);
    CHECK(plan({"npx", "--package", "yarn", "yarn", "publish"}).operation == Operation::write);
    CHECK(plan({"npm", "exec", "--", "pnpm", "publish", "--tag", "x"}).operation
          == Operation::write);
    CHECK(plan({"npm", "x", "--", "yarn", "publish"}).operation == Operation::write);
    CHECK(plan({"pnpx", "npm", "unpublish", "@a/b@1"}).operation == Operation::manage);
    CHECK(plan({"pnpm", "dlx", "npm", "publish"}).operation == Operation::write);
    CHECK(plan({"pnpm", "exec", "npm", "publish"}).operation == Operation::write);
    CHECK(plan({"yarn", "dlx", "-p", "npm", "npm", "publish"}).operation == Operation::write);
    CHECK(plan({"bunx", "npm", "publish"}).operation == Operation::write);
    CHECK(plan({"bun", "x", "npm", "publish"}).operation == Operation::write);
    CHECK(plan({"corepack", "pnpm", "publish"}).operation == Operation::write);
    CHECK(plan({"npx", "npm", "publish"}).tool == "npm");
    // What an unknown package's command does cannot be read from its command line.
    CHECK_FALSE(plan({"npx", "semantic-release"}).classified);
    CHECK_FALSE(plan({"npx", "-c", "npm publish"}).classified);
    CHECK(plan({"npx", "npm", "publish", "-c", "x"}).operation == Operation::write); // npm's -c
    CHECK_FALSE(plan({"pnpm", "dlx", "-c", "npm publish"}).classified);
}

TEST_CASE("plan_npm_command: program names", "[config][npm_command]") {
    CHECK(plan({"/usr/local/bin/pnpm", "publish"}).tool == "pnpm");
    CHECK(plan({"npm.cmd", "publish"}).operation == Operation::write);
    CHECK(plan({"C:/node/yarn.CMD", "publish"}).operation == Operation::write);
    CHECK(plan({"bun.exe", "publish"}).operation == Operation::write);
}

TEST_CASE("plan_npm_command: what it cannot classify", "[config][npm_command]") {
    CHECK(plan({"npm", "install"}).classified);
    CHECK(plan({"npm", "publish"}).classified);
    CHECK(plan({"npm", "--version"}).classified);
    CHECK(plan({"npm", "ci"}).classified);
    for (const std::vector<std::string>& command :
         std::vector<std::vector<std::string>>{{"sh", "-c", "npm publish"},
                                               {"make", "publish"},
                                               {"pnpm", "run", "release"},
                                               {"npm", "run", "release"},
                                               {"npm", "test"},
                                               {"npm", "nonsense"},
                                               {"node", "publish.js"},
                                               {"dotnet", "nuget", "push", "x.nupkg"}}) {
        INFO(command[0] << " " << command[1]);
        auto p = plan(command);
        CHECK_FALSE(p.classified);
        CHECK(p.operation == Operation::read);
    }
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

    scratch.file("pkg/package.json", R"({"name":"@acme/pkg","version":"1.0.0"})");
    CHECK(target({"npm", "-C", "unscoped", "publish"}) == "https://r.example/");
    CHECK(target({"pnpm", "--dir", "pkg", "publish"}) == feed);
    CHECK(target({"yarn", "publish", "--new-version", "1.0.1"}) == feed);
    CHECK(target({"yarn", "workspace", "@acme/x", "npm", "publish"}) == feed);
    CHECK_FALSE(target({"pnpm", "-r", "publish"}));
    CHECK_FALSE(target({"yarn", "workspaces", "foreach", "-A", "npm", "publish"}));

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
