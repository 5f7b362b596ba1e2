// SPDX-License-Identifier: MIT
#include "token.hpp"
#include "token_store.hpp"
#include "validation_cache.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

using namespace feed;

TEST_CASE("tokens look like Feedz's: T- and 43 random alphanumerics", "[token]") {
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) {
        auto token = generate_token();
        REQUIRE(token.size() == 45);
        CHECK(token.rfind("T-", 0) == 0);
        for (char c : token.substr(2)) {
            CHECK(std::isalnum(static_cast<unsigned char>(c)));
        }
        seen.insert(token);
    }
    CHECK(seen.size() == 200);
    CHECK(token_prefix("T-abcdefghij") == "T-abcde");
}

TEST_CASE("digests match known values", "[token]") {
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha1_hex("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d");
    CHECK(sha512_integrity("abc")
          == "sha512-3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/"
             "uu9RU1EI2Q86A4qmslPpUyknw==");
}

TEST_CASE("the token file holds hashes and prefixes, never the token", "[token]") {
    auto dir = std::filesystem::temp_directory_path() / ("feed-unit-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    TokenStore store(dir / "tokens.json");
    CHECK(store.load().empty());

    auto token = generate_token();
    TokenRecord record;
    record.prefix = token_prefix(token);
    record.hash = sha256_hex(token);
    record.name = "laptop";
    record.access = AccessLevel::read_write;
    record.expires = parse_date("2030-01-02");
    record.created = "2026-01-01T00:00:00Z";
    store.save({record});

    auto loaded = store.load();
    REQUIRE(loaded.size() == 1);
    CHECK(loaded[0].name == "laptop");
    CHECK(loaded[0].access == AccessLevel::read_write);
    CHECK(format_date(*loaded[0].expires) == "2030-01-02");
    CHECK(loaded[0].active);
    CHECK(store.find_by_hash(sha256_hex(token)));
    CHECK_FALSE(store.find_by_hash(sha256_hex(token + "x")));

    std::ifstream in(dir / "tokens.json");
    std::stringstream content;
    content << in.rdbuf();
    CHECK(content.str().find(token) == std::string::npos);
    CHECK(content.str().find(token.substr(0, 12)) == std::string::npos);
    std::filesystem::remove_all(dir);
}

TEST_CASE("the validation cache serves a result for its lifetime, then looks again", "[cache]") {
    int lookups = 0;
    bool active = true;
    ValidationCache cache(std::chrono::seconds(5), [&](const std::string&) {
        ++lookups;
        TokenRecord record;
        record.active = active;
        return std::optional<TokenRecord>(record);
    });
    auto t0 = ValidationCache::Clock::time_point{} + std::chrono::hours(1);
    CHECK(cache.find("h", t0)->active);
    active = false; // deactivated by another process
    CHECK(cache.find("h", t0 + std::chrono::seconds(4))->active);
    CHECK(lookups == 1);
    CHECK_FALSE(cache.find("h", t0 + std::chrono::seconds(5))->active);
    CHECK(lookups == 2);
    active = true; // re-activated
    CHECK_FALSE(cache.find("h", t0 + std::chrono::seconds(9))->active);
    CHECK(cache.find("h", t0 + std::chrono::seconds(10))->active);
}

TEST_CASE("a zero lifetime disables the cache", "[cache]") {
    int lookups = 0;
    ValidationCache cache(std::chrono::seconds(0), [&](const std::string&) {
        ++lookups;
        return std::optional<TokenRecord>();
    });
    auto now = ValidationCache::Clock::now();
    CHECK_FALSE(cache.find("h", now));
    CHECK_FALSE(cache.find("h", now));
    CHECK(lookups == 2);
}
