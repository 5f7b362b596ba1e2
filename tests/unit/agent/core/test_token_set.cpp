// SPDX-License-Identifier: MIT
#include <agent/core/token_set.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace feedz;

namespace {

const Date k_today = Date(std::chrono::year(2026) / 6 / 15);
const std::string k_url = "https://f.feedz.io/acme/pkgs/npm/left-pad";

StoredToken make_stored(std::string name,
                        std::string secret,
                        std::string scope = "https://f.feedz.io/acme/pkgs/",
                        Access access = Access::read) {
    StoredToken token;
    token.info.name = std::move(name);
    token.info.prefix = token_prefix(secret);
    token.info.scopes = {std::move(scope)};
    token.info.access = access;
    token.secret = SecretString(secret);
    return token;
}

std::vector<std::string> names(const TokenSet& set) {
    std::vector<std::string> result;
    for (const auto& info : set.infos()) {
        result.push_back(info.name);
    }
    return result;
}

} // namespace

TEST_CASE("TokenSet: a new set is empty", "[core][token_set]") {
    TokenSet set;
    CHECK(set.size() == 0);
    CHECK(set.infos().empty());
    CHECK(set.find("laptop") == nullptr);
    CHECK(set.secret("laptop") == nullptr);
    TokenLookup lookup = set.lookup(k_url, Operation::read, k_today);
    CHECK_FALSE(lookup.token.has_value());
    CHECK(lookup.secret.empty());
    CHECK(lookup.rejected.empty());
}

TEST_CASE("TokenSet: put adds tokens that find and secret return", "[core][token_set]") {
    TokenSet set;
    set.put(make_stored("laptop", "T-laptop-secret-0001"));
    set.put(make_stored("ci", "T-ci-secret-00000002"));
    CHECK(set.size() == 2);
    CHECK(names(set) == std::vector<std::string>{"laptop", "ci"});
    REQUIRE(set.find("laptop") != nullptr);
    CHECK(set.find("laptop")->prefix == "T-lapto");
    REQUIRE(set.secret("laptop") != nullptr);
    CHECK(set.secret("laptop")->view() == "T-laptop-secret-0001");
    REQUIRE(set.secret("ci") != nullptr);
    CHECK(set.secret("ci")->view() == "T-ci-secret-00000002");
    CHECK(set.find("LAPTOP") == nullptr); // names are case-sensitive
    CHECK(set.find("lap") == nullptr);
}

TEST_CASE("TokenSet: put replaces the token of the same name, metadata and secret",
          "[core][token_set]") {
    TokenSet set;
    set.put(make_stored("laptop", "T-old-secret-000001", "https://f.feedz.io/acme/pkgs/"));
    set.put(make_stored("ci", "T-ci-secret-00000002"));
    set.put(make_stored(
        "laptop", "T-new-secret-000003", "https://f.feedz.io/other/repo/", Access::full));
    CHECK(set.size() == 2);
    REQUIRE(set.find("laptop") != nullptr);
    CHECK(set.find("laptop")->scopes == std::vector<std::string>{"https://f.feedz.io/other/repo/"});
    CHECK(set.find("laptop")->access == Access::full);
    CHECK(set.find("laptop")->prefix == "T-new-s");
    CHECK(set.secret("laptop")->view() == "T-new-secret-000003");
    CHECK(set.secret("ci")->view() == "T-ci-secret-00000002");
}

TEST_CASE("TokenSet: erase removes one token and keeps secrets with their tokens",
          "[core][token_set]") {
    TokenSet set;
    set.put(make_stored("a", "T-secret-of-a-00001"));
    set.put(make_stored("b", "T-secret-of-b-00002"));
    set.put(make_stored("c", "T-secret-of-c-00003"));
    CHECK(set.erase("b"));
    CHECK(set.size() == 2);
    CHECK(set.find("b") == nullptr);
    CHECK(set.secret("b") == nullptr);
    // The secrets of the tokens after the erased one moved with them.
    CHECK(set.secret("a")->view() == "T-secret-of-a-00001");
    CHECK(set.secret("c")->view() == "T-secret-of-c-00003");
    CHECK(names(set) == std::vector<std::string>{"a", "c"});
    CHECK_FALSE(set.erase("b"));
    CHECK_FALSE(set.erase("nobody"));
    CHECK(set.size() == 2);
}

TEST_CASE("TokenSet: clear removes everything", "[core][token_set]") {
    TokenSet set;
    set.put(make_stored("a", "T-secret-of-a-00001"));
    set.put(make_stored("b", "T-secret-of-b-00002"));
    set.clear();
    CHECK(set.size() == 0);
    CHECK(set.find("a") == nullptr);
    CHECK(set.secret("b") == nullptr);
    CHECK_FALSE(set.lookup(k_url, Operation::read, k_today).token.has_value());
}

TEST_CASE("TokenSet: lookup returns the selected token with a copy of its secret",
          "[core][token_set]") {
    TokenSet set;
    set.put(make_stored("host", "T-host-secret-00001", "https://f.feedz.io/"));
    set.put(make_stored("feed", "T-feed-secret-00002", "https://f.feedz.io/acme/pkgs/"));
    TokenLookup lookup = set.lookup(k_url, Operation::read, k_today);
    REQUIRE(lookup.token.has_value());
    CHECK(lookup.token->name == "feed");
    CHECK(lookup.secret.view() == "T-feed-secret-00002");
    CHECK(lookup.rejected.empty());
    // A copy: a different buffer that outlives the set's own.
    CHECK(lookup.secret.view().data() != set.secret("feed")->view().data());
    set.erase("feed");
    set.clear();
    CHECK(lookup.secret.view() == "T-feed-secret-00002");
    CHECK(lookup.token->name == "feed");
}

TEST_CASE("TokenSet: lookup reports passed-over tokens with their metadata", "[core][token_set]") {
    TokenSet set;
    StoredToken off = make_stored("off", "T-off-secret-000001");
    off.info.disabled = true;
    StoredToken old = make_stored("old", "T-old-secret-000002");
    old.info.expires = k_today - std::chrono::days(1);
    StoredToken weak = make_stored("weak", "T-weak-secret-00003");
    set.put(std::move(off));
    set.put(std::move(old));
    set.put(std::move(weak));
    set.put(make_stored("elsewhere", "T-else-secret-00004", "https://f.feedz.io/other/repo/"));

    TokenLookup lookup = set.lookup(k_url, Operation::write, k_today);
    CHECK_FALSE(lookup.token.has_value());
    CHECK(lookup.secret.empty());
    REQUIRE(lookup.rejected.size() == 3);
    CHECK(lookup.rejected[0].token.name == "off");
    CHECK(lookup.rejected[0].reason == Rejection::disabled);
    CHECK(lookup.rejected[1].token.name == "old");
    CHECK(lookup.rejected[1].reason == Rejection::expired);
    CHECK(lookup.rejected[2].token.name == "weak");
    CHECK(lookup.rejected[2].reason == Rejection::insufficient_access);
    CHECK(lookup.rejected[2].token.prefix == "T-weak-");

    TokenLookup read = set.lookup(k_url, Operation::read, k_today);
    REQUIRE(read.token.has_value());
    CHECK(read.token->name == "weak");
    CHECK(read.secret.view() == "T-weak-secret-00003");
}

TEST_CASE("TokenSet: lookup after put picks up the replacement", "[core][token_set]") {
    TokenSet set;
    set.put(make_stored("laptop", "T-old-secret-000001"));
    CHECK(set.lookup(k_url, Operation::read, k_today).secret.view() == "T-old-secret-000001");
    set.put(make_stored("laptop", "T-new-secret-000002"));
    CHECK(set.lookup(k_url, Operation::read, k_today).secret.view() == "T-new-secret-000002");
    StoredToken off = make_stored("laptop", "T-new-secret-000002");
    off.info.disabled = true;
    set.put(std::move(off));
    TokenLookup lookup = set.lookup(k_url, Operation::read, k_today);
    CHECK_FALSE(lookup.token.has_value());
    REQUIRE(lookup.rejected.size() == 1);
    CHECK(lookup.rejected[0].reason == Rejection::disabled);
}
