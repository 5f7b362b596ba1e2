// SPDX-License-Identifier: MIT
// logout's decisions, against a fake agent (tokens.cpp).
#include "environment_guard.hpp"
#include "fake_context.hpp"
#include "scratch_directory.hpp"
#include <agent/util/report.hpp>

#include <catch2/catch.hpp>

using namespace feedz;

namespace {

const char* const k_secret = "T-abcdefghijklmnopqrstuvwxyz0123";

TokenInfo token(std::string name, Access access) {
    TokenInfo info;
    info.name = std::move(name);
    info.access = access;
    info.scopes = {"https://f.feedz.io/acme/pkgs/"};
    return info;
}

} // namespace

TEST_CASE("logout: a name with no token removes nothing and fails as not found") {
    ScratchDirectory state;
    EnvironmentVariableGuard guard("XDG_STATE_HOME", state.path().c_str());
    FakeContext fake;
    fake.agent.add(token("laptop", Access::read), k_secret);

    CHECK(fake.run({"logout", "desktop"}) == k_exit_failure);
    CHECK(fake.agent.tokens().find("laptop") != nullptr);
    CHECK(fake.agent.tokens().size() == 1);
}

TEST_CASE("logout: removes the named token and no other") {
    ScratchDirectory state;
    EnvironmentVariableGuard guard("XDG_STATE_HOME", state.path().c_str());
    FakeContext fake;
    fake.agent.add(token("laptop", Access::read), k_secret);
    fake.agent.add(token("ci", Access::read_write), "T-zyxwvutsrqponmlkjihgfedcba9876");

    CHECK(fake.run({"logout", "laptop"}) == k_exit_ok);
    CHECK(fake.agent.tokens().find("laptop") == nullptr);
    CHECK(fake.agent.tokens().find("ci") != nullptr);
}

TEST_CASE("logout: a NAME and --all together is a usage error that removes nothing") {
    FakeContext fake;
    fake.agent.add(token("laptop", Access::read), k_secret);

    CHECK(fake.run({"logout", "--all", "laptop"}) == k_exit_usage);
    CHECK(fake.agent.tokens().size() == 1);
}

TEST_CASE("logout: without an agent, exits 69") {
    FakeContext fake;
    fake.agent_running = false;
    fake.agent.add(token("laptop", Access::read), k_secret);

    CHECK(fake.run({"logout", "laptop"}) == k_exit_unavailable);
    CHECK(fake.agent.tokens().size() == 1);
}
