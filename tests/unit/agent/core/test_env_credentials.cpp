// SPDX-License-Identifier: MIT
#include "environment_guard.hpp"
#include <agent/core/env_credentials.hpp>
#include <agent/core/environment.hpp>

#include <catch2/catch.hpp>

#include <stdlib.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

using namespace feedz;

namespace {

const Date k_today = Date(std::chrono::year(2026) / 6 / 15);

// Distinctive tokens: no message may contain any part of them.
const std::string k_pat = "T-PATqz7Vb2Kp9Lm3Nz4";
const std::string k_feed_token = "T-FEEDx8Wc3Jq5Rr7Tt9";
const std::string k_org_token = "T-ORGy2Hg6Dd4Ss1Ff0Q";

// True when `message` contains any 6 consecutive characters of `secret` after its "T-".
bool mentions(const std::string& message, const std::string& secret) {
    for (std::size_t i = 2; i + 6 <= secret.size(); ++i) {
        if (message.find(secret.substr(i, 6)) != std::string::npos) {
            return true;
        }
    }
    return false;
}

TokenSet parsed(std::optional<std::string_view> pat, std::optional<std::string_view> credentials) {
    auto tokens = parse_env_credentials(pat, credentials);
    if (!tokens) {
        INFO("error: " << tokens.error().message);
        REQUIRE(tokens.has_value());
    }
    return std::move(*tokens);
}

// Checks that the environment is refused and that the message quotes none of `secrets`.
Error refused(std::optional<std::string_view> pat,
              std::optional<std::string_view> credentials,
              const std::vector<std::string>& secrets) {
    auto tokens = parse_env_credentials(pat, credentials);
    REQUIRE_FALSE(tokens.has_value());
    const Error& error = tokens.error();
    INFO("message: " << error.message);
    CHECK(error.code == Errc::invalid_argument);
    for (const auto& secret : secrets) {
        CHECK_FALSE(mentions(error.message, secret));
    }
    return error;
}

std::string
chosen(const TokenSet& tokens, const std::string& url, Operation operation = Operation::read) {
    TokenLookup lookup = tokens.lookup(url, operation, k_today);
    if (!lookup.token) {
        return "";
    }
    return std::string(lookup.secret.view());
}

} // namespace

// --- FEEDZ_PAT ---

TEST_CASE("parse_env_credentials: without FEEDZ_PAT and FEEDZ_CREDENTIALS it is empty",
          "[core][env_credentials]") {
    TokenSet tokens = parsed(std::nullopt, std::nullopt);
    CHECK(tokens.size() == 0);
    CHECK(chosen(tokens, "https://f.feedz.io/acme/pkgs/").empty());
}

TEST_CASE("parse_env_credentials: FEEDZ_PAT is one token for every feed on https://f.feedz.io/",
          "[core][env_credentials]") {
    TokenSet tokens = parsed(k_pat, std::nullopt);
    REQUIRE(tokens.size() == 1);
    const TokenInfo& info = tokens.infos().front();
    CHECK(info.name == "FEEDZ_PAT");
    CHECK(info.scopes == std::vector<std::string>{"https://f.feedz.io/"});
    CHECK(info.prefix == "T-PATqz");
    CHECK(info.access == Access::unknown);
    CHECK_FALSE(info.disabled);
    CHECK_FALSE(info.expires.has_value());

    // Any operation: the level is unknown, which counts as sufficient.
    for (Operation operation : {Operation::read, Operation::write, Operation::manage}) {
        CHECK(chosen(tokens, "https://f.feedz.io/acme/pkgs/npm/left-pad", operation) == k_pat);
    }
    CHECK(chosen(tokens, "https://f.feedz.io/other/repo/nuget/index.json") == k_pat);
    // Never for another host, port or scheme.
    CHECK(chosen(tokens, "https://feeds.example.com/acme/pkgs/").empty());
    CHECK(chosen(tokens, "https://f.feedz.io:8443/acme/pkgs/").empty());
}

TEST_CASE("parse_env_credentials: the token's secret is kept under its name, and nothing else",
          "[core][env_credentials]") {
    TokenSet tokens = parsed(k_pat, std::nullopt);
    const SecretString* secret = tokens.secret("FEEDZ_PAT");
    REQUIRE(secret != nullptr);
    CHECK(secret->view() == k_pat);
    CHECK(tokens.find("laptop") == nullptr);
    CHECK(tokens.secret("laptop") == nullptr);
}

TEST_CASE("parse_env_credentials: a bad FEEDZ_PAT is refused without quoting it",
          "[core][env_credentials]") {
    auto pat = GENERATE(as<std::string>{},
                        "T-PATqz7",                      // too short
                        "T-PATqz7Vb2 Kp9Lm3Nz4",         // a space
                        "T-PATqz7Vb2Kp9Lm3Nz4\n",        // a trailing newline
                        "T-PATqz7Vb2\x01Kp9Lm3Nz4",      // a control character
                        "T-PATqz7Vb2Kp9Lm3Nz4\xC3\xA9"); // non-ASCII
    Error error = refused(pat, std::nullopt, {pat, k_pat});
    CHECK_THAT(error.message, Catch::StartsWith("FEEDZ_PAT: "));
}

// --- FEEDZ_CREDENTIALS ---

TEST_CASE("parse_env_credentials: FEEDZ_CREDENTIALS entries become tokens scoped to their feed",
          "[core][env_credentials]") {
    std::string credentials = R"([
        {"feed": "acme/pkgs", "token": ")"
                              + k_feed_token + R"("},
        {"feed": "https://f.feedz.io/acme/", "token": ")"
                              + k_org_token + R"(", "access": "read"}
    ])";
    TokenSet tokens = parsed(std::nullopt, credentials);
    auto listed = tokens.infos();
    REQUIRE(listed.size() == 2);
    CHECK(listed[0].name == "FEEDZ_CREDENTIALS[0]");
    CHECK(listed[0].scopes == std::vector<std::string>{"https://f.feedz.io/acme/pkgs/"});
    CHECK(listed[0].access == Access::unknown);
    CHECK(listed[0].prefix == "T-FEEDx");
    CHECK(listed[1].name == "FEEDZ_CREDENTIALS[1]");
    CHECK(listed[1].scopes == std::vector<std::string>{"https://f.feedz.io/acme/"});
    CHECK(listed[1].access == Access::read);
    const SecretString* second = tokens.secret("FEEDZ_CREDENTIALS[1]");
    REQUIRE(second != nullptr);
    CHECK(second->view() == k_org_token);
}

TEST_CASE(
    "parse_env_credentials: a FEEDZ_CREDENTIALS feed may be org/repo, a feed URL or any URL prefix",
    "[core][env_credentials]") {
    struct Case {
        std::string feed;
        std::string scope;
    };

    const std::vector<Case> cases = {
        {"acme/pkgs", "https://f.feedz.io/acme/pkgs/"},
        {"https://f.feedz.io/acme/pkgs/", "https://f.feedz.io/acme/pkgs/"},
        {"https://f.feedz.io/acme/pkgs", "https://f.feedz.io/acme/pkgs/"},
        {"https://f.feedz.io/acme/", "https://f.feedz.io/acme/"},
        {"https://f.feedz.io/acme", "https://f.feedz.io/acme/"},
        {"https://F.FEEDZ.IO:443/acme/", "https://f.feedz.io/acme/"},
        {"https://f.feedz.io", "https://f.feedz.io/"},
        {"https://f.feedz.io/acme/pkgs/npm/", "https://f.feedz.io/acme/pkgs/npm/"},
        {"https://feeds.example.com:8443/acme/pkgs/", "https://feeds.example.com:8443/acme/pkgs/"},
        {"http://localhost:5555/acme/pkgs/", "http://localhost:5555/acme/pkgs/"},
    };
    for (const Case& c : cases) {
        std::string credentials =
            R"([{"feed": ")" + c.feed + R"(", "token": ")" + k_feed_token + R"("}])";
        TokenSet tokens = parsed(std::nullopt, credentials);
        REQUIRE(tokens.size() == 1);
        INFO("feed: " << c.feed);
        CHECK(tokens.infos().front().scopes == std::vector<std::string>{c.scope});
    }
}

TEST_CASE(
    "parse_env_credentials: the access of a FEEDZ_CREDENTIALS entry is read, read-write or full",
    "[core][env_credentials]") {
    for (auto [text, access] : std::vector<std::pair<std::string, Access>>{
             {"read", Access::read}, {"read-write", Access::read_write}, {"full", Access::full}}) {
        std::string credentials = R"([{"feed": "acme/pkgs", "token": ")" + k_feed_token
                                  + R"(", "access": ")" + text + R"("}])";
        TokenSet tokens = parsed(std::nullopt, credentials);
        REQUIRE(tokens.size() == 1);
        CHECK(tokens.infos().front().access == access);
    }
    for (std::string bad : {R"("admin")", R"("Read")", "1", "null", "true", R"(["read"])"}) {
        std::string credentials =
            R"([{"feed": "acme/pkgs", "token": ")" + k_feed_token + R"(", "access": )" + bad + "}]";
        INFO("access: " << bad);
        Error error = refused(std::nullopt, credentials, {k_feed_token});
        CHECK_THAT(error.message, Catch::Contains("FEEDZ_CREDENTIALS[0]"));
        CHECK_THAT(error.message, Catch::Contains("\"access\""));
    }
}

TEST_CASE("parse_env_credentials: the longest matching prefix wins, with FEEDZ_PAT as the fallback",
          "[core][env_credentials]") {
    // The order of the entries does not matter.
    std::string feed_entry = R"({"feed": "acme/pkgs", "token": ")" + k_feed_token + R"("})";
    std::string org_entry =
        R"({"feed": "https://f.feedz.io/acme/", "token": ")" + k_org_token + R"("})";
    for (const std::string& credentials :
         {"[" + feed_entry + "," + org_entry + "]", "[" + org_entry + "," + feed_entry + "]"}) {
        TokenSet tokens = parsed(k_pat, credentials);
        INFO("FEEDZ_CREDENTIALS: " << credentials);
        CHECK(chosen(tokens, "https://f.feedz.io/acme/pkgs/npm/left-pad") == k_feed_token);
        CHECK(chosen(tokens, "https://f.feedz.io/acme/pkgs/nuget/index.json") == k_feed_token);
        CHECK(chosen(tokens, "https://f.feedz.io/acme/pkgs") == k_feed_token);
        CHECK(chosen(tokens, "https://f.feedz.io/acme/pkgs2/npm/") == k_org_token);
        CHECK(chosen(tokens, "https://f.feedz.io/acme/other/nuget/index.json") == k_org_token);
        CHECK(chosen(tokens, "https://f.feedz.io/acmeco/pkgs/") == k_pat);
        CHECK(chosen(tokens, "https://f.feedz.io/other/repo/npm/") == k_pat);
        CHECK(chosen(tokens, "https://feeds.example.com/acme/pkgs/").empty());
    }
}

TEST_CASE("parse_env_credentials: an entry's access level steers selection by operation",
          "[core][env_credentials]") {
    std::string credentials = R"([
        {"feed": "acme/pkgs", "token": ")"
                              + k_feed_token + R"(", "access": "read"},
        {"feed": "acme/pkgs", "token": ")"
                              + k_org_token + R"(", "access": "read-write"}
    ])";
    TokenSet tokens = parsed(std::nullopt, credentials);
    CHECK(chosen(tokens, "https://f.feedz.io/acme/pkgs/npm/", Operation::read) == k_feed_token);
    CHECK(chosen(tokens, "https://f.feedz.io/acme/pkgs/npm/", Operation::write) == k_org_token);
    CHECK(chosen(tokens, "https://f.feedz.io/acme/pkgs/npm/", Operation::manage).empty());
}

TEST_CASE("parse_env_credentials: an empty FEEDZ_CREDENTIALS list is accepted",
          "[core][env_credentials]") {
    TokenSet tokens = parsed(std::nullopt, "[]");
    CHECK(tokens.size() == 0);
    TokenSet with_pat = parsed(k_pat, " [ ] ");
    CHECK(with_pat.size() == 1);
}

TEST_CASE("parse_env_credentials: FEEDZ_CREDENTIALS that is not a JSON list is refused without "
          "quoting tokens",
          "[core][env_credentials]") {
    const std::string t = k_feed_token;
    auto credentials =
        GENERATE_COPY(as<std::string>{},
                      std::string(""),
                      std::string("not json"),
                      std::string("{}"),
                      std::string(R"({"feed": "acme/pkgs", "token": ")") + t + "\"}",
                      std::string("\"") + t + "\"",
                      std::string("null"),
                      // Truncated and broken documents, the token right next to the syntax error.
                      std::string(R"([{"feed": "acme/pkgs", "token": ")") + t,
                      std::string(R"([{"feed": "acme/pkgs", "token": ")") + t + "\"",
                      std::string(R"([{"feed": "acme/pkgs", "token": ")") + t + "\"}",
                      std::string(R"([{"feed": "acme/pkgs", "token": ")") + t + "\"x}]",
                      std::string(R"([{"feed": "acme/pkgs", "token": ")") + t + "\",}]",
                      std::string(R"([{"feed": "acme/pkgs", "token": )") + t + "}]",
                      std::string(R"([{"feed": "acme/pkgs", "token": ")") + t + "\"]",
                      std::string(R"([{"feed": "acme/pkgs" "token": ")") + t + "\"}]",
                      std::string(R"([{"feed": "acme/pkgs", "token": ")") + t.substr(0, 10) + "\\q"
                          + t.substr(10) + "\"}]",
                      std::string(R"([{"feed": "acme/pkgs", "token": ")") + t.substr(0, 10) + "\n"
                          + t.substr(10) + "\"}]",
                      std::string(R"([{"feed": "acme/pkgs", "token": ")") + t + "\xff\"}]",
                      std::string(R"([{"feed": "acme/pkgs", "token": ")") + t + "\"}] trailing",
                      std::string(R"([{"feed": "acme/pkgs", "token": ")") + t + "\"}]]");
    INFO("FEEDZ_CREDENTIALS: " << credentials);
    Error error = refused(std::nullopt, credentials, {k_feed_token});
    CHECK_THAT(error.message, Catch::Contains("FEEDZ_CREDENTIALS is not a JSON list"));
    CHECK_THAT(error.message, Catch::Contains("expected [{\"feed\""));
}

TEST_CASE("parse_env_credentials: FEEDZ_CREDENTIALS nested too deep is refused, not walked",
          "[core][env_credentials]") {
    const std::string deep = std::string(60000, '[') + std::string(60000, ']');
    auto credentials = GENERATE_COPY(as<std::string>{},
                                     deep,
                                     std::string(R"([{"feed": "acme/pkgs", "token": ")")
                                         + k_feed_token + "\", \"x\": " + deep + "}]");
    Error error = refused(std::nullopt, credentials, {k_feed_token});
    CHECK_THAT(error.message,
               Catch::Contains("FEEDZ_CREDENTIALS is not a JSON list (JSON nested deeper than"));
    CHECK_THAT(error.message, Catch::Contains("expected [{\"feed\""));
}

TEST_CASE("parse_env_credentials: an entry without string feed and token fields is refused",
          "[core][env_credentials]") {
    const std::string t = k_feed_token;
    auto credentials =
        GENERATE_COPY(as<std::string>{},
                      std::string("[1]"),
                      std::string("[\"acme/pkgs\"]"),
                      std::string("[[\"acme/pkgs\", \"") + t + "\"]]",
                      std::string("[{}]"),
                      std::string("[{\"feed\": \"acme/pkgs\"}]"),
                      std::string("[{\"token\": \"") + t + "\"}]",
                      std::string("[{\"feed\": 7, \"token\": \"") + t + "\"}]",
                      std::string("[{\"feed\": \"acme/pkgs\", \"token\": 7}]"),
                      std::string("[{\"feed\": \"acme/pkgs\", \"token\": null}]"),
                      std::string("[{\"feed\": \"acme/pkgs\", \"token\": [\"") + t + "\"]}]",
                      std::string("[{\"Feed\": \"acme/pkgs\", \"Token\": \"") + t + "\"}]");
    INFO("FEEDZ_CREDENTIALS: " << credentials);
    Error error = refused(std::nullopt, credentials, {k_feed_token});
    CHECK_THAT(error.message,
               Catch::Contains("FEEDZ_CREDENTIALS[0] needs string fields \"feed\" and \"token\""));
}

TEST_CASE("parse_env_credentials: the failing entry is named by its index",
          "[core][env_credentials]") {
    std::string credentials = R"([
        {"feed": "acme/pkgs", "token": ")"
                              + k_feed_token + R"("},
        {"feed": "acme/other", "token": ")"
                              + k_org_token + R"("},
        {"feed": "acme/third"}
    ])";
    Error error = refused(std::nullopt, credentials, {k_feed_token, k_org_token});
    CHECK_THAT(error.message, Catch::StartsWith("FEEDZ_CREDENTIALS[2]"));
}

TEST_CASE("parse_env_credentials: a bad token in FEEDZ_CREDENTIALS is refused without quoting it",
          "[core][env_credentials]") {
    auto token = GENERATE(as<std::string>{},
                          "",
                          "T-FEEDx8W",
                          "T-FEEDx8Wc3 Jq5Rr7Tt9",
                          "T-FEEDx8Wc3\\tJq5Rr7Tt9",
                          "T-FEEDx8Wc3\\nJq5Rr7Tt9",
                          "T-FEEDx8Wc3\\u0001Jq5Rr7Tt9",
                          "T-FEEDx8Wc3Jq5Rr7Tt9\\u00e9");
    std::string credentials =
        R"([{"feed": "acme/pkgs", "token": "okQ9okQ9okQ9okQ9ok"}, {"feed": "acme/x", "token": ")"
        + token + R"("}])";
    INFO("token as JSON: " << token);
    Error error = refused(std::nullopt, credentials, {k_feed_token, "okQ9okQ9okQ9okQ9ok"});
    CHECK_THAT(error.message, Catch::StartsWith("FEEDZ_CREDENTIALS[1]: "));
    CHECK_THAT(error.message, Catch::Contains("token"));
}

TEST_CASE(
    "parse_env_credentials: a bad feed in FEEDZ_CREDENTIALS is refused without quoting the token",
    "[core][env_credentials]") {
    auto feed = GENERATE(as<std::string>{},
                         "",
                         "acme",
                         "acme/pkgs/extra",
                         "../pkgs",
                         "ftp://f.feedz.io/acme/",
                         "http://f.feedz.io/acme/",
                         "https://user:pass@f.feedz.io/acme/",
                         "https://f.feedz.io:99999/acme/",
                         "https:///acme/");
    std::string credentials =
        R"([{"feed": ")" + feed + R"(", "token": ")" + k_feed_token + R"("}])";
    INFO("feed: " << feed);
    Error error = refused(std::nullopt, credentials, {k_feed_token});
    CHECK_THAT(error.message, Catch::StartsWith("FEEDZ_CREDENTIALS[0]: "));
}

TEST_CASE("parse_env_credentials: a bad FEEDZ_PAT is reported even when FEEDZ_CREDENTIALS is fine",
          "[core][env_credentials]") {
    std::string credentials = R"([{"feed": "acme/pkgs", "token": ")" + k_feed_token + R"("}])";
    Error error = refused("short", credentials, {k_feed_token});
    CHECK_THAT(error.message, Catch::StartsWith("FEEDZ_PAT: "));
}

TEST_CASE("env_credentials_from_environment: reads FEEDZ_PAT and FEEDZ_CREDENTIALS",
          "[core][env_credentials]") {
    std::string credentials = R"([{"feed": "acme/pkgs", "token": ")" + k_feed_token + R"("}])";
    EnvironmentVariableGuard pat(std::string(k_env_pat), k_pat.c_str());
    EnvironmentVariableGuard list(std::string(k_env_credentials), credentials.c_str());
    auto tokens = env_credentials_from_environment();
    REQUIRE(tokens.has_value());
    CHECK(chosen(*tokens, "https://f.feedz.io/acme/pkgs/npm/") == k_feed_token);
    CHECK(chosen(*tokens, "https://f.feedz.io/other/repo/npm/") == k_pat);
    // The environment itself is left as it was.
    CHECK(get_env(k_env_pat) == k_pat);
    CHECK(get_env(k_env_credentials) == credentials);
}

TEST_CASE("env_credentials_from_environment: treats unset and empty variables alike",
          "[core][env_credentials]") {
    SECTION("unset") {
        EnvironmentVariableGuard pat("FEEDZ_PAT", nullptr);
        EnvironmentVariableGuard list("FEEDZ_CREDENTIALS", nullptr);
        auto tokens = env_credentials_from_environment();
        REQUIRE(tokens.has_value());
        CHECK(tokens->size() == 0);
    }
    SECTION("empty") {
        EnvironmentVariableGuard pat("FEEDZ_PAT", "");
        EnvironmentVariableGuard list("FEEDZ_CREDENTIALS", "");
        auto tokens = env_credentials_from_environment();
        REQUIRE(tokens.has_value());
        CHECK(tokens->size() == 0);
    }
}

TEST_CASE("env_credentials_from_environment: reports a bad FEEDZ_CREDENTIALS without quoting it",
          "[core][env_credentials]") {
    std::string credentials = R"([{"feed": "acme/pkgs", "token": ")" + k_feed_token + "\"x}]";
    EnvironmentVariableGuard pat("FEEDZ_PAT", nullptr);
    EnvironmentVariableGuard list("FEEDZ_CREDENTIALS", credentials.c_str());
    auto tokens = env_credentials_from_environment();
    REQUIRE_FALSE(tokens.has_value());
    CHECK(tokens.error().code == Errc::invalid_argument);
    CHECK_FALSE(mentions(tokens.error().message, k_feed_token));
}
