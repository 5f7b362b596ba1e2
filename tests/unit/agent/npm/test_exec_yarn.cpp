// SPDX-License-Identifier: MIT
// exec's yarn berry part: which variables it sets for the entries of .yarnrc.yml files.
#include <agent/npm/exec_yarn.hpp>
#include <agent/npm/npmrc.hpp>

#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <vector>

using namespace feedz;

namespace {

const char* const k_secret = "T-yarnyarnyarnyarnyarnyarnyarn00";

std::vector<NpmFeedCredential> credential_for(const std::string& feed_text) {
    auto feed = parse_feed(feed_text);
    REQUIRE(feed);
    std::vector<NpmFeedCredential> credentials;
    credentials.push_back(
        {*feed, npm_nerf_dart(feed->npm_url()).value_or(""), TokenInfo{}, SecretString(k_secret)});
    return credentials;
}

std::vector<YarnRc> configs_of(const std::vector<std::string>& texts) {
    std::vector<YarnRc> configs;
    for (const auto& text : texts) {
        auto config = YarnRc::parse(text, "/p/.yarnrc.yml");
        REQUIRE(config);
        configs.push_back(std::move(*config));
    }
    return configs;
}

// NAME=value of each variable, read as the child reads it: a C string.
std::vector<std::string> as_child_sees(const std::vector<SecretString>& variables) {
    std::vector<std::string> seen;
    for (const auto& variable : variables) {
        seen.emplace_back(variable.empty() ? "" : std::string(variable.view().data()));
        CHECK(std::strlen(variable.view().data()) + 1 == variable.size()); // NUL-terminated
    }
    return seen;
}

NpmEnvironment no_environment() {
    return NpmEnvironment(std::vector<std::string>{});
}

} // namespace

TEST_CASE("exec yarn: the variable of a covered registry's npmAuthIdent gets feedz:TOKEN") {
    auto credentials = credential_for("acme/pkgs");
    auto configs = configs_of({"npmRegistries:\n"
                               "  \"//f.feedz.io/acme/pkgs/npm/\":\n"
                               "    npmAuthIdent: \"${FEEDZ_NPM_AUTH_ACME_PKGS:-}\"\n"
                               "    npmAuthToken: \"${ACME_BEARER:-}\"\n"});
    auto seen = as_child_sees(yarn_auth_variables(configs, no_environment(), credentials, {}));
    CHECK(seen
          == std::vector<std::string>{"ACME_BEARER=",
                                      std::string("FEEDZ_NPM_AUTH_ACME_PKGS=feedz:") + k_secret});
}

TEST_CASE("exec yarn: a variable that also stands anywhere else stays unset") {
    auto credentials = credential_for("acme/pkgs");
    for (const std::string elsewhere :
         {"npmAuthIdent: \"${X:-}\"\nnpmRegistryServer: https://evil.example/\n",
          "npmRegistries:\n  \"//evil.example/\":\n    npmAuthIdent: \"${X}\"\n"}) {
        INFO(elsewhere);
        auto configs = configs_of({"npmRegistries:\n"
                                   "  \"//f.feedz.io/acme/pkgs/npm/\":\n"
                                   "    npmAuthIdent: \"${X:-}\"\n",
                                   elsewhere});
        CHECK(yarn_auth_variables(configs, no_environment(), credentials, {}).empty());
    }
}

TEST_CASE("exec yarn: the user's own value and unsafe names are left alone") {
    auto credentials = credential_for("acme/pkgs");
    auto configs = configs_of({"npmRegistries:\n"
                               "  \"//f.feedz.io/acme/pkgs/npm/\":\n"
                               "    npmAuthIdent: \"${LD_PRELOAD:-}\"\n"
                               "  \"//f.feedz.io/acme/pkgs/npm\":\n"
                               "    npmAuthIdent: \"${MINE}\"\n"});
    NpmEnvironment environment(std::vector<std::string>{"MINE=x"});
    CHECK(yarn_auth_variables(configs, environment, credentials, {}).empty());
}

TEST_CASE("exec yarn: berry's publish registry") {
    auto configs = configs_of({"npmRegistryServer: https://r.example/\n"
                               "npmScopes:\n"
                               "  acme:\n"
                               "    npmRegistryServer: https://fetch.example/\n"});
    // No package.json here: the top-level registry.
    CHECK(yarn_write_registry(configs, "/nonexistent") == "https://r.example/");
    CHECK(is_yarn_npm_command({"yarn", "npm", "publish"}));
    CHECK(is_yarn_npm_command({"/usr/bin/yarnpkg", "--silent", "npm", "tag", "add"}));
    CHECK_FALSE(is_yarn_npm_command({"yarn", "publish"}));
    CHECK_FALSE(is_yarn_npm_command({"npm", "publish"}));
}
