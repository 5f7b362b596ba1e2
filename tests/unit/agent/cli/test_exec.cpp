// SPDX-License-Identifier: MIT
// exec's decisions, against a fake agent (exec.cpp).
#include "environment_guard.hpp"
#include "fake_context.hpp"
#include "scratch_directory.hpp"
#include <agent/util/report.hpp>

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

using namespace feedz;

namespace {

TokenInfo read_token() {
    TokenInfo info;
    info.name = "reader";
    info.access = Access::read;
    info.scopes = {"https://f.feedz.io/acme/pkgs/"};
    return info;
}

// A directory with bin/npm, a script that leaves a mark when it runs, and a project.
struct Workspace {
    ScratchDirectory scratch;
    std::string bin = scratch.path() + "/bin";
    std::string mark = scratch.path() + "/npm-ran";

    Workspace() {
        ::mkdir(bin.c_str(), 0700);
        std::ofstream(bin + "/npm") << "#!/bin/sh\ntouch '" << mark << "'\n";
        ::chmod((bin + "/npm").c_str(), 0700);
    }

    bool npm_ran() const { return ::access(mark.c_str(), F_OK) == 0; }
};

} // namespace

TEST_CASE("exec: a publish to the feed with only a Read token stored is refused, not run") {
    Workspace workspace;
    EnvironmentVariableGuard path("PATH", workspace.bin.c_str());
    EnvironmentVariableGuard home("HOME", workspace.scratch.path().c_str());
    EnvironmentVariableGuard userconfig("NPM_CONFIG_USERCONFIG", nullptr);
    EnvironmentVariableGuard lower_userconfig("npm_config_userconfig", nullptr);
    FakeContext fake;
    fake.environment.cwd = workspace.scratch.path();
    fake.agent.add(read_token(), "T-readreadreadreadreadreadread00");

    CHECK(fake.run({"exec",
                    "--feed",
                    "acme/pkgs",
                    "--",
                    "npm",
                    "publish",
                    "--registry",
                    "https://f.feedz.io/acme/pkgs/npm/"})
          == k_exit_permission);
    CHECK_FALSE(workspace.npm_ran());
    REQUIRE_FALSE(fake.agent.gets().empty());
    CHECK(fake.agent.gets().front().url == "https://f.feedz.io/acme/pkgs/npm/");
    CHECK(fake.agent.gets().front().operation == Operation::write);
}

TEST_CASE("exec: a command that is not on PATH exits 127 before the agent is asked") {
    ScratchDirectory empty;
    EnvironmentVariableGuard path("PATH", empty.path().c_str());
    FakeContext fake;

    CHECK(fake.run({"exec", "--", "npm", "install"}) == 127);
    CHECK(fake.agent.gets().empty());
}

TEST_CASE("exec: without an agent, exits 69 and runs nothing") {
    Workspace workspace;
    EnvironmentVariableGuard path("PATH", workspace.bin.c_str());
    EnvironmentVariableGuard home("HOME", workspace.scratch.path().c_str());
    FakeContext fake;
    fake.environment.cwd = workspace.scratch.path();
    fake.agent_running = false;

    CHECK(fake.run({"exec", "--", "npm", "install"}) == k_exit_unavailable);
    CHECK_FALSE(workspace.npm_ran());
}
