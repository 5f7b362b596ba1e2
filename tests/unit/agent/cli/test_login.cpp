// SPDX-License-Identifier: MIT
// login's decisions, against a fake agent (login.cpp).
#include "environment_guard.hpp"
#include "fake_context.hpp"
#include "scratch_directory.hpp"
#include <agent/util/report.hpp>

#include <catch2/catch.hpp>

#include <unistd.h>

using namespace feedz;

TEST_CASE("login: a token too short to be one is refused and nothing is stored") {
    FakeContext fake;

    CHECK(fake.run({"login", "--name", "laptop", "--pat", "T-short"}) == k_exit_usage);
    CHECK(fake.agent.tokens().size() == 0);
}

TEST_CASE("login: a bad token name is refused before the agent is asked") {
    FakeContext fake;

    CHECK(fake.run({"login", "--name", "-bad", "--pat", "T-abcdefghijklmnopqrstuvwxyz0123"})
          == k_exit_usage);
    CHECK(fake.agent.tokens().size() == 0);
}

TEST_CASE("login: a token the feed rejects is not stored") {
    ScratchDirectory home;
    EnvironmentVariableGuard state("XDG_STATE_HOME", home.path().c_str());
    EnvironmentVariableGuard user("HOME", home.path().c_str());
    FakeContext fake;
    fake.feed_status = 401;
    fake.feed_reason = "Unauthorized";

    CHECK(fake.run({"login",
                    "--name",
                    "laptop",
                    "--feed",
                    "acme/pkgs",
                    "--pat",
                    "T-abcdefghijklmnopqrstuvwxyz0123"})
          == k_exit_failure);
    // npm's whoami, as npm will use the token too (login's default).
    CHECK(fake.probed == std::vector<std::string>{"https://f.feedz.io/acme/pkgs/npm/-/whoami"});
    CHECK(fake.probed_tokens == std::vector<std::string>{"T-abcdefghijklmnopqrstuvwxyz0123"});
    CHECK(fake.agent.tokens().size() == 0);
    CHECK(::access((home.path() + "/feedz-agent/managed.json").c_str(), F_OK) != 0);
}

TEST_CASE("login: a token without access to the feed is not stored") {
    FakeContext fake;
    fake.feed_status = 403;
    fake.feed_reason = "Forbidden";

    CHECK(fake.run({"login",
                    "--name",
                    "laptop",
                    "--feed",
                    "acme/pkgs",
                    "--pat",
                    "T-abcdefghijklmnopqrstuvwxyz0123"})
          == k_exit_failure);
    CHECK(fake.agent.tokens().size() == 0);
}

TEST_CASE("login: --no-verify does not ask the feed") {
    FakeContext fake;
    fake.agent_running = false; // stops login right after the check it skips

    CHECK(fake.run({"login",
                    "--name",
                    "laptop",
                    "--feed",
                    "acme/pkgs",
                    "--no-verify",
                    "--pat",
                    "T-abcdefghijklmnopqrstuvwxyz0123"})
          == k_exit_unavailable);
    CHECK(fake.probed.empty());
}

TEST_CASE("login: without an agent, exits 69 and stores nothing") {
    FakeContext fake;
    fake.agent_running = false;

    CHECK(fake.run({"login", "--name", "laptop", "--pat", "T-abcdefghijklmnopqrstuvwxyz0123"})
          == k_exit_unavailable);
    CHECK(fake.agent.tokens().size() == 0);
}

TEST_CASE("login: without --feed the token is stored unchecked, with the access asked for") {
    ScratchDirectory home;
    EnvironmentVariableGuard state("XDG_STATE_HOME", home.path().c_str());
    EnvironmentVariableGuard user("HOME", home.path().c_str());
    FakeContext fake;

    CHECK(fake.run({"login",
                    "--name",
                    "laptop",
                    "--access",
                    "read-write",
                    "--pat",
                    "T-abcdefghijklmnopqrstuvwxyz0123"})
          == k_exit_ok);
    const TokenInfo* stored = fake.agent.tokens().find("laptop");
    REQUIRE(stored != nullptr);
    CHECK(stored->access == Access::read_write);
    CHECK(fake.agent.tokens().secret("laptop")->view() == "T-abcdefghijklmnopqrstuvwxyz0123");
}
