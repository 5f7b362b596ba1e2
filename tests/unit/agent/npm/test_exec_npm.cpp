// SPDX-License-Identifier: MIT
#include <agent/npm/exec_npm.hpp>
#include <agent/npm/npmrc.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

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
