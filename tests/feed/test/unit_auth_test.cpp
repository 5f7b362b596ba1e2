// SPDX-License-Identifier: MIT
#include "authenticator.hpp"
#include "base64.hpp"
#include "credentials.hpp"
#include "token.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <map>

using namespace feed;

namespace {

std::string basic(const std::string& user_and_password) {
    return "Basic " + encode_base64(user_and_password);
}

// A token store of three tokens, looked up by hash.
struct Fixture {
    std::string read = generate_token();
    std::string expired = generate_token();
    std::string inactive = generate_token();
    std::map<std::string, TokenRecord> by_hash;
    ValidationCache cache{std::chrono::seconds(0), [this](const std::string& hash) {
                              auto it = by_hash.find(hash);
                              return it == by_hash.end() ? std::nullopt
                                                         : std::optional<TokenRecord>(it->second);
                          }};
    Authenticator authenticator{cache};

    Fixture() {
        add(read, true, std::nullopt);
        add(expired, true, parse_date("2000-01-01"));
        add(inactive, false, std::nullopt);
    }

    void add(const std::string& token, bool active, std::optional<Date> expires) {
        TokenRecord record;
        record.prefix = token_prefix(token);
        record.hash = sha256_hex(token);
        record.name = "n";
        record.active = active;
        record.expires = expires;
        by_hash[record.hash] = record;
    }

    AuthResult check(const AuthHeaders& headers, bool nuget = false) {
        return authenticator.authenticate(parse_auth_headers(headers, nuget),
                                          std::chrono::system_clock::now(),
                                          ValidationCache::Clock::now());
    }
};

} // namespace

TEST_CASE("Basic with any non-empty username and the token as password", "[auth]") {
    Fixture f;
    for (const char* user : {"feedz", "x", "anything at all"}) {
        auto result = f.check({basic(std::string(user) + ":" + f.read), {}, {}});
        CHECK(result.outcome == AuthOutcome::authenticated);
        CHECK(result.scheme == AuthScheme::basic);
        CHECK(result.username == user);
        CHECK(result.token_prefix == token_prefix(f.read));
    }
    CHECK(f.check({"basic " + encode_base64("u:" + f.read), {}, {}}).outcome
          == AuthOutcome::authenticated);
}

TEST_CASE("an empty username, Bearer, malformed Basic and other schemes are refused", "[auth]") {
    Fixture f;
    auto empty_user = f.check({basic(":" + f.read), {}, {}});
    CHECK(empty_user.outcome == AuthOutcome::refused);
    CHECK(empty_user.reason.find("empty username") != std::string::npos);
    CHECK(f.check({"Bearer " + f.read, {}, {}}).outcome == AuthOutcome::refused);
    CHECK(f.check({"Bearer " + f.read, f.read, {}}).outcome == AuthOutcome::refused);
    CHECK(f.check({"Basic !!!", {}, {}}).outcome == AuthOutcome::refused);
    CHECK(f.check({basic("no-colon"), {}, {}}).outcome == AuthOutcome::refused);
    CHECK(f.check({basic("user:"), {}, {}}).outcome == AuthOutcome::refused);
    CHECK(f.check({"Digest x", {}, {}}).outcome == AuthOutcome::refused);
}

TEST_CASE("unknown, expired and deactivated tokens are refused with a reason", "[auth]") {
    Fixture f;
    auto unknown = f.check({basic("u:" + generate_token()), {}, {}});
    CHECK(unknown.outcome == AuthOutcome::refused);
    CHECK(unknown.reason == "unknown token");
    auto expired = f.check({basic("u:" + f.expired), {}, {}});
    CHECK(expired.outcome == AuthOutcome::refused);
    CHECK(expired.reason.find("expired") != std::string::npos);
    auto inactive = f.check({{}, f.inactive, {}});
    CHECK(inactive.outcome == AuthOutcome::refused);
    CHECK(inactive.reason.find("deactivated") != std::string::npos);
    CHECK(inactive.reason.find(f.inactive) == std::string::npos);
}

TEST_CASE("the feedz-api-key header everywhere, X-NuGet-ApiKey on NuGet only", "[auth]") {
    Fixture f;
    auto api_key = f.check({{}, f.read, {}});
    CHECK(api_key.outcome == AuthOutcome::authenticated);
    CHECK(api_key.scheme == AuthScheme::api_key);
    CHECK(f.check({{}, {}, f.read}, true).outcome == AuthOutcome::authenticated);
    CHECK(f.check({{}, {}, f.read}, false).outcome == AuthOutcome::anonymous);
    // A dummy API key does not spoil valid Basic credentials (NuGet sends both after a 401).
    CHECK(f.check({basic("u:" + f.read), {}, "dummy"}, true).outcome == AuthOutcome::authenticated);
    CHECK(f.check({{}, {}, {}}).outcome == AuthOutcome::anonymous);
}

TEST_CASE("the loggable prefix never reveals a short secret", "[auth]") {
    CHECK(loggable_prefix("T-abcdefghijklmnopqrstuvwxyz") == "T-abcde");
    CHECK(loggable_prefix("short-secret") == "");
    CHECK(loggable_prefix("") == "");
}
