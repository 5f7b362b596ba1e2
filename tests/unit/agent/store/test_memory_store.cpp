// SPDX-License-Identifier: MIT
#include <agent/store/memory_store.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

using namespace feedz;

namespace {

StoredToken make_stored(std::string name, std::string_view secret) {
    StoredToken token;
    token.info.name = std::move(name);
    token.info.prefix = token_prefix(secret);
    token.info.scopes = {"https://f.feedz.io/acme/pkgs/"};
    token.info.access = Access::read;
    token.info.created = Timestamp(std::chrono::seconds(1'700'000'000));
    token.secret = SecretString(secret);
    return token;
}

std::vector<std::string> listed_names(SecretStore& store) {
    auto listed = store.list();
    REQUIRE(listed.has_value());
    std::vector<std::string> names;
    for (const auto& info : *listed) {
        names.push_back(info.name);
    }
    std::sort(names.begin(), names.end());
    return names;
}

} // namespace

TEST_CASE("MemoryStore: an empty store finds nothing, which is not an error",
          "[store][memory_store]") {
    MemoryStore store;
    CHECK(std::string(store.kind()) == "memory");
    CHECK_FALSE(store.connection_lost());
    auto found = store.get("laptop");
    REQUIRE(found.has_value());
    CHECK_FALSE(found->has_value());
    auto erased = store.erase("laptop");
    REQUIRE(erased.has_value());
    CHECK_FALSE(*erased);
    auto listed = store.list();
    REQUIRE(listed.has_value());
    CHECK(listed->empty());
}

TEST_CASE("MemoryStore: put then get returns the metadata and the secret",
          "[store][memory_store]") {
    MemoryStore store;
    StoredToken token = make_stored("laptop", "T-laptop-secret-0001");
    token.info.expires = Date(std::chrono::year(2027) / 1 / 31);
    token.info.disabled = true;
    token.info.access = Access::full;
    REQUIRE(store.put(token).has_value());
    auto found = store.get("laptop");
    REQUIRE(found.has_value());
    REQUIRE(found->has_value());
    const StoredToken& back = **found;
    CHECK(back.info.name == "laptop");
    CHECK(back.info.prefix == "T-lapto");
    CHECK(back.info.scopes == token.info.scopes);
    CHECK(back.info.access == Access::full);
    CHECK(back.info.expires == token.info.expires);
    CHECK(back.info.created == token.info.created);
    CHECK(back.info.disabled);
    CHECK(back.secret.view() == "T-laptop-secret-0001");
}

TEST_CASE("MemoryStore: the store keeps its own copy of the secret", "[store][memory_store]") {
    MemoryStore store;
    StoredToken token = make_stored("laptop", "T-laptop-secret-0001");
    REQUIRE(store.put(token).has_value());
    token.secret.clear();
    token.info.name = "changed";
    auto first = store.get("laptop");
    REQUIRE(first.has_value());
    REQUIRE(first->has_value());
    CHECK((*first)->secret.view() == "T-laptop-secret-0001");
    // Each get hands out a fresh copy, too.
    (*first)->secret.clear();
    auto second = store.get("laptop");
    REQUIRE(second.has_value());
    REQUIRE(second->has_value());
    CHECK((*second)->secret.view() == "T-laptop-secret-0001");
    CHECK_FALSE(store.get("changed")->has_value());
}

TEST_CASE("MemoryStore: put replaces a token of the same name", "[store][memory_store]") {
    MemoryStore store;
    REQUIRE(store.put(make_stored("laptop", "T-old-secret-000001")).has_value());
    StoredToken replacement = make_stored("laptop", "T-new-secret-000002");
    replacement.info.scopes = {"https://f.feedz.io/"};
    REQUIRE(store.put(replacement).has_value());
    CHECK(listed_names(store) == std::vector<std::string>{"laptop"});
    auto found = store.get("laptop");
    REQUIRE(found.has_value());
    REQUIRE(found->has_value());
    CHECK((*found)->secret.view() == "T-new-secret-000002");
    CHECK((*found)->info.scopes == std::vector<std::string>{"https://f.feedz.io/"});
}

TEST_CASE("MemoryStore: erase removes one token and reports whether there was one",
          "[store][memory_store]") {
    MemoryStore store;
    REQUIRE(store.put(make_stored("a", "T-secret-of-a-00001")).has_value());
    REQUIRE(store.put(make_stored("b", "T-secret-of-b-00002")).has_value());
    auto erased = store.erase("a");
    REQUIRE(erased.has_value());
    CHECK(*erased);
    CHECK_FALSE(store.get("a")->has_value());
    CHECK(store.get("b")->has_value());
    auto again = store.erase("a");
    REQUIRE(again.has_value());
    CHECK_FALSE(*again);
    CHECK(listed_names(store) == std::vector<std::string>{"b"});
}

TEST_CASE("MemoryStore: list returns the metadata of every token", "[store][memory_store]") {
    MemoryStore store;
    for (const char* name : {"zeta", "alpha", "acme/pkgs", "ci@build"}) {
        REQUIRE(
            store.put(make_stored(name, std::string("T-") + name + "-secret-0000")).has_value());
    }
    CHECK(listed_names(store)
          == std::vector<std::string>{"acme/pkgs", "alpha", "ci@build", "zeta"});
    auto listed = store.list();
    REQUIRE(listed.has_value());
    for (const auto& info : *listed) {
        CHECK(info.prefix == token_prefix("T-" + info.name + "-secret-0000"));
    }
}

TEST_CASE("MemoryStore: names are exact and case-sensitive", "[store][memory_store]") {
    MemoryStore store;
    REQUIRE(store.put(make_stored("laptop", "T-laptop-secret-0001")).has_value());
    CHECK_FALSE(store.get("Laptop")->has_value());
    CHECK_FALSE(store.get("lap")->has_value());
    CHECK_FALSE(store.get("laptop ")->has_value());
    CHECK_FALSE(*store.erase("LAPTOP"));
    CHECK(store.get("laptop")->has_value());
}

TEST_CASE("MemoryStore: concurrent puts, gets and erases from several threads are all kept "
          "apart",
          "[store][memory_store]") {
    MemoryStore store;
    SecretStore& interface = store;
    constexpr int k_threads = 4;
    constexpr int k_tokens_per_thread = 100;
    std::vector<std::thread> threads;
    for (int t = 0; t < k_threads; ++t) {
        threads.emplace_back([&interface, t] {
            for (int i = 0; i < k_tokens_per_thread; ++i) {
                std::string name = "t" + std::to_string(t) + "-" + std::to_string(i);
                std::ignore = interface.put(make_stored(name, "T-" + name + "-secret-xxxxxx"));
                std::ignore = interface.get(name);
                if (i % 2 == 1) {
                    std::ignore = interface.erase(name);
                }
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    auto listed = interface.list();
    REQUIRE(listed.has_value());
    CHECK(listed->size() == static_cast<std::size_t>(k_threads * k_tokens_per_thread / 2));
    auto found = interface.get("t3-98");
    REQUIRE(found.has_value());
    REQUIRE(found->has_value());
    CHECK((*found)->secret.view() == "T-t3-98-secret-xxxxxx");
    CHECK_FALSE(interface.get("t3-99")->has_value());
}
