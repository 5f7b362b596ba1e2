// SPDX-License-Identifier: MIT
#include <agent/util/secret_string.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <cstring>
#include <string>
#include <type_traits>
#include <utility>

using namespace feedz;

TEST_CASE("SecretString: a default one is empty", "[util][secret_string]") {
    SecretString secret;
    CHECK(secret.empty());
    CHECK(secret.size() == 0);
    CHECK(secret.view().empty());
}

TEST_CASE("SecretString: holds the bytes it was given, NUL bytes included",
          "[util][secret_string]") {
    SecretString secret("T-abc123xyz");
    CHECK_FALSE(secret.empty());
    CHECK(secret.size() == 11);
    CHECK(secret.view() == "T-abc123xyz");
    const std::string binary("a\0b\nc", 5);
    SecretString with_nul(binary);
    CHECK(with_nul.size() == 5);
    CHECK(with_nul.view() == binary);
    SecretString from_empty{std::string_view()};
    CHECK(from_empty.empty());
}

TEST_CASE("SecretString: is move-only", "[util][secret_string]") {
    STATIC_REQUIRE_FALSE(std::is_copy_constructible_v<SecretString>);
    STATIC_REQUIRE_FALSE(std::is_copy_assignable_v<SecretString>);
    STATIC_REQUIRE(std::is_nothrow_move_constructible_v<SecretString>);
    STATIC_REQUIRE(std::is_nothrow_move_assignable_v<SecretString>);
}

TEST_CASE("SecretString: moving leaves the source empty", "[util][secret_string]") {
    SecretString source("T-abc123xyz");
    const char* buffer = source.view().data();
    SecretString target(std::move(source));
    CHECK(target.view() == "T-abc123xyz");
    CHECK(target.view().data() == buffer); // the buffer moved, it was not copied
    CHECK(source.empty());                 // NOLINT(bugprone-use-after-move)
    CHECK(source.size() == 0);             // NOLINT(bugprone-use-after-move)
    CHECK(source.view().empty());          // NOLINT(bugprone-use-after-move)
}

TEST_CASE("SecretString: move assignment replaces the target and empties the source",
          "[util][secret_string]") {
    SecretString source("T-new-secret");
    SecretString target("T-old-secret-longer");
    target = std::move(source);
    CHECK(target.view() == "T-new-secret");
    CHECK(source.empty()); // NOLINT(bugprone-use-after-move)
    // Assigning an empty one empties the target.
    SecretString empty;
    target = std::move(empty);
    CHECK(target.empty());
}

TEST_CASE("SecretString: move-assigning to itself keeps the value", "[util][secret_string]") {
    SecretString secret("T-abc123xyz");
    SecretString& alias = secret;
    secret = std::move(alias);
    CHECK(secret.view() == "T-abc123xyz");
}

TEST_CASE("SecretString: clone is an equal, independent copy", "[util][secret_string]") {
    SecretString original("T-abc123xyz");
    SecretString copy = original.clone();
    CHECK(copy == original);
    CHECK(copy.view() == "T-abc123xyz");
    CHECK(copy.view().data() != original.view().data());
    copy.clear();
    CHECK(copy.empty());
    CHECK(original.view() == "T-abc123xyz");
    CHECK(SecretString().clone().empty());
}

TEST_CASE("SecretString: equality compares the bytes", "[util][secret_string]") {
    CHECK(SecretString("abc") == SecretString("abc"));
    CHECK_FALSE(SecretString("abc") == SecretString("abd"));
    CHECK_FALSE(SecretString("abc") == SecretString("abcd"));
    CHECK_FALSE(SecretString("abc") == SecretString());
    CHECK(SecretString() == SecretString());
    CHECK(SecretString("abc") != SecretString("ABC"));
}

TEST_CASE("SecretString: clear empties it", "[util][secret_string]") {
    SecretString secret("T-abc123xyz");
    secret.clear();
    CHECK(secret.empty());
    CHECK(secret.view().empty());
    secret.clear(); // twice is fine
    CHECK(secret.empty());
}

TEST_CASE("SecretString: with_size gives a writable buffer of that size", "[util][secret_string]") {
    SecretString secret = SecretString::with_size(5);
    REQUIRE(secret.size() == 5);
    std::memcpy(secret.data(), "hello", 5);
    CHECK(secret.view() == "hello");
    CHECK(SecretString::with_size(0).empty());
}

TEST_CASE("wipe_memory: overwrites every byte with zeros", "[util][secret_string]") {
    std::array<char, 8> buffer = {'s', 'e', 'c', 'r', 'e', 't', '!', '?'};
    wipe_memory(buffer.data() + 1, 6);
    CHECK(buffer == std::array<char, 8>{'s', 0, 0, 0, 0, 0, 0, '?'});
    wipe_memory(nullptr, 10); // a no-op, not a crash
    wipe_memory(buffer.data(), 0);
    CHECK(buffer[0] == 's');
}
