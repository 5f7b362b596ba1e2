// SPDX-License-Identifier: MIT
// exec's npm half: which token each feed gets (exec_npm.cpp), against a fake agent.
#include "fake_agent.hpp"
#include <agent/npm/exec_npm.hpp>
#include <agent/npm/npmrc.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

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

// The user config exec builds (merged_npm_userconfig).
namespace {

std::vector<feedz::NpmFeedCredential> credential_for(const std::string& feed_text) {
    auto feed = feedz::parse_feed(feed_text);
    REQUIRE(feed);
    std::vector<feedz::NpmFeedCredential> credentials;
    credentials.push_back({*feed,
                           feedz::npm_nerf_dart(feed->npm_url()).value_or(""),
                           feedz::TokenInfo{},
                           feedz::SecretString("T-secret")});
    return credentials;
}

std::string merged(const std::string& user,
                   const std::vector<feedz::NpmFeedCredential>& credentials,
                   const std::optional<std::string>& registry = std::nullopt) {
    return std::string(
        feedz::merged_npm_userconfig(feedz::Npmrc::parse(user), credentials, registry)
            .text()
            .view());
}

} // namespace

TEST_CASE("merged_npm_userconfig: our _auth replaces the feed's credentials and tokenHelper",
          "[config][exec_npm]") {
    auto credentials = credential_for("acme/pkgs");
    const std::string ours = "//f.feedz.io/acme/pkgs/npm/:_auth="
                             + std::string(feedz::npm_basic_auth("T-secret").view());
    std::string user = "; mine\n"
                       "//f.feedz.io/acme/pkgs/npm/:tokenHelper=/home/u/bin/helper\n"
                       "//f.feedz.io/acme/pkgs/npm/:_authToken=old\n"
                       "//f.feedz.io/other/repo/npm/:tokenHelper=/home/u/bin/other\n"
                       "color=false\n";
    auto text = merged(user, credentials);
    CHECK(text.find(ours) != std::string::npos);
    CHECK(text.find("/home/u/bin/helper") == std::string::npos);
    CHECK(text.find("_authToken=old") == std::string::npos);
    // Everything else stays: another feed's helper, comments, settings.
    CHECK(text.find("//f.feedz.io/other/repo/npm/:tokenHelper=/home/u/bin/other")
          != std::string::npos);
    CHECK(text.find("; mine\n") == 0);
    CHECK(text.find("color=false") != std::string::npos);
}

TEST_CASE("merged_npm_userconfig: an unscoped tokenHelper goes only when the default "
          "registry is ours",
          "[config][exec_npm]") {
    auto credentials = credential_for("acme/pkgs");
    std::string user = "tokenHelper=/home/u/bin/helper\n";
    CHECK(merged(user, credentials, std::string("https://f.feedz.io/acme/pkgs/npm/"))
              .find("tokenHelper")
          == std::string::npos);
    CHECK(merged(user, credentials, std::string("https://registry.npmjs.org/"))
              .find("tokenHelper=/home/u/bin/helper")
          != std::string::npos);
    CHECK(merged(user, credentials).find("tokenHelper=/home/u/bin/helper") != std::string::npos);
}

TEST_CASE(
    "exec npm: a project placeholder gets our credential only when it stands for nothing else") {
    auto credentials = credential_for("acme/pkgs");
    auto configs_with = [](const std::string& project) {
        NpmConfigs configs;
        configs.project = Npmrc::parse(project, "/p/.npmrc");
        configs.user = Npmrc::parse("", "/home/u/.npmrc");
        return configs;
    };
    NpmEnvironment environment(std::vector<std::string>{});
    auto ours = configs_with("//f.feedz.io/acme/pkgs/npm/:_auth=${FEEDZ_NPM_AUTH?}\n");
    auto variables = npm_placeholder_variables(ours, environment, credentials);
    REQUIRE(variables.size() == 1);
    CHECK(std::string(variables[0].view().data()).starts_with("FEEDZ_NPM_AUTH="));

    for (const char* elsewhere : {"//evil.example/:_auth=${FEEDZ_NPM_AUTH}\n",
                                  "//f.feedz.io/acme/pkgs/npm/:_authToken=${FEEDZ_NPM_AUTH}\n"}) {
        INFO(elsewhere);
        auto shared = configs_with(
            std::string("//f.feedz.io/acme/pkgs/npm/:_auth=${FEEDZ_NPM_AUTH?}\n") + elsewhere);
        CHECK(npm_placeholder_variables(shared, environment, credentials).empty());
    }
}
