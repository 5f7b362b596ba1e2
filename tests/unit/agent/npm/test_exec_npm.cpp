// SPDX-License-Identifier: MIT
// exec's npm half: which token each feed gets (exec_npm.cpp), against a fake agent.
#include "fake_agent.hpp"
#include <agent/npm/exec_npm.hpp>

#include <catch2/catch.hpp>

using namespace feedz;

namespace {

const char* const k_read_secret = "T-readreadreadreadreadreadread00";
const char* const k_write_secret = "T-writewritewritewritewritewrit0";
const std::string k_registry = "https://f.feedz.io/acme/pkgs/npm/";

TokenInfo token(std::string name, Access access) {
    TokenInfo info;
    info.name = std::move(name);
    info.access = access;
    info.scopes = {"https://f.feedz.io/acme/pkgs/"};
    return info;
}

std::vector<Feed> feeds() {
    return {*parse_feed("acme/pkgs")};
}

} // namespace

TEST_CASE("exec npm: an install gets the Read token even when a Read/Write one is stored") {
    FakeAgent agent;
    agent.add(token("reader", Access::read), k_read_secret);
    agent.add(token("writer", Access::read_write), k_write_secret);

    auto credentials = collect_npm_credentials(
        agent, feeds(), plan_npm_command({"npm", "install"}), std::nullopt, true);
    REQUIRE(credentials);
    REQUIRE(credentials->size() == 1);
    CHECK(credentials->front().token.name == "reader");
    CHECK(credentials->front().secret.view() == k_read_secret);
    REQUIRE(agent.gets().size() == 1);
    CHECK(agent.gets().front().operation == Operation::read);
}

TEST_CASE("exec npm: a publish to the feed gets the Read/Write token") {
    FakeAgent agent;
    agent.add(token("reader", Access::read), k_read_secret);
    agent.add(token("writer", Access::read_write), k_write_secret);

    auto credentials = collect_npm_credentials(
        agent, feeds(), plan_npm_command({"npm", "publish"}), k_registry, true);
    REQUIRE(credentials);
    REQUIRE(credentials->size() == 1);
    CHECK(credentials->front().token.name == "writer");
    CHECK(credentials->front().secret.view() == k_write_secret);
    CHECK(agent.gets().front().operation == Operation::write);
}

TEST_CASE("exec npm: a publish to the feed with only a Read token stored is refused") {
    FakeAgent agent;
    agent.add(token("reader", Access::read), k_read_secret);

    auto credentials = collect_npm_credentials(
        agent, feeds(), plan_npm_command({"npm", "publish"}), k_registry, true);
    REQUIRE_FALSE(credentials);
    CHECK(credentials.error().code == Errc::permission_denied);
    CHECK(credentials.error().message.find("reader") != std::string::npos);
}

TEST_CASE("exec npm: a publish elsewhere reads from the feed with the Read token") {
    FakeAgent agent;
    agent.add(token("reader", Access::read), k_read_secret);

    auto credentials = collect_npm_credentials(agent,
                                               feeds(),
                                               plan_npm_command({"npm", "publish"}),
                                               std::string("https://registry.npmjs.org/"),
                                               true);
    REQUIRE(credentials);
    REQUIRE(credentials->size() == 1);
    CHECK(credentials->front().token.name == "reader");
    CHECK(agent.gets().front().operation == Operation::read);
}
