// SPDX-License-Identifier: MIT
#include <agent/server/fingerprint.hpp>
#include <agent/server/token_registry.hpp>
#include <agent/store/memory_store.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <thread>

using namespace feedz;

namespace {

const Date k_today = Date(std::chrono::year(2026) / 6 / 15);
const std::string k_feed = "https://f.feedz.io/acme/pkgs/";
const std::string k_url = "https://f.feedz.io/acme/pkgs/npm/left-pad";

// A MemoryStore whose operations can be made to fail, and that counts them.
class FakeStore final : public SecretStore {
public:
    const char* kind() const override { return "fake"; }

    Result<std::optional<StoredToken>> get(std::string_view name) override {
        ++gets;
        if (fail_get) {
            return *fail_get;
        }
        return inner.get(name);
    }

    Result<void> put(const StoredToken& token) override {
        ++puts;
        if (fail_put) {
            return *fail_put;
        }
        return inner.put(token);
    }

    Result<bool> erase(std::string_view name) override {
        if (fail_erase) {
            return *fail_erase;
        }
        return inner.erase(name);
    }

    Result<std::vector<TokenInfo>> list() override {
        ++lists;
        if (fail_list) {
            return *fail_list;
        }
        return inner.list();
    }

    MemoryStore inner;
    std::optional<Error> fail_get;
    std::optional<Error> fail_put;
    std::optional<Error> fail_erase;
    std::optional<Error> fail_list;
    int gets = 0;
    int puts = 0;
    int lists = 0;
};

StoredToken make_stored(std::string name, std::string_view secret, Access access = Access::read) {
    StoredToken token;
    token.info.name = std::move(name);
    token.info.prefix = token_prefix(secret);
    token.info.scopes = {k_feed};
    token.info.access = access;
    token.secret = SecretString(secret);
    return token;
}

const Error k_locked = make_error(Errc::store_locked, "the keyring is locked: unlock it");

TokenLookup looked_up(TokenRegistry& registry, Operation operation = Operation::read) {
    auto lookup = registry.lookup(k_url, operation, k_today);
    if (!lookup) {
        INFO("error: " << lookup.error().message);
        REQUIRE(lookup.has_value());
    }
    return std::move(*lookup);
}

} // namespace

TEST_CASE("TokenRegistry: refresh loads the store's tokens with their fingerprints",
          "[server][token_registry]") {
    FakeStore store;
    REQUIRE(store.inner.put(make_stored("laptop", "T-laptop-secret-0001")).has_value());
    TokenRegistry registry(store);
    CHECK(registry.size() == 0);
    REQUIRE(registry.refresh().has_value());
    CHECK(registry.size() == 1);
    TokenLookup lookup = looked_up(registry);
    REQUIRE(lookup.token.has_value());
    CHECK(lookup.token->name == "laptop");
    CHECK(lookup.token->fingerprint == fingerprint("T-laptop-secret-0001"));
    CHECK(lookup.secret.view() == "T-laptop-secret-0001");
    CHECK_FALSE(registry.store_error().has_value());
}

TEST_CASE("TokenRegistry: refresh reads secrets only for new or changed tokens",
          "[server][token_registry]") {
    FakeStore store;
    REQUIRE(store.inner.put(make_stored("a", "T-secret-of-a-00001")).has_value());
    REQUIRE(store.inner.put(make_stored("b", "T-secret-of-b-00002")).has_value());
    TokenRegistry registry(store);
    REQUIRE(registry.refresh().has_value());
    CHECK(store.gets == 2);
    REQUIRE(registry.refresh().has_value());
    CHECK(store.gets == 2); // nothing changed: no secret read again

    StoredToken changed = make_stored("b", "T-secret-of-b-00002");
    changed.info.disabled = true;
    REQUIRE(store.inner.put(changed).has_value());
    REQUIRE(store.inner.put(make_stored("c", "T-secret-of-c-00003")).has_value());
    REQUIRE(registry.refresh().has_value());
    CHECK(store.gets == 4); // b (changed) and c (new)
    CHECK(registry.size() == 3);
}

TEST_CASE("TokenRegistry: refresh drops tokens removed behind its back",
          "[server][token_registry]") {
    FakeStore store;
    TokenRegistry registry(store);
    REQUIRE(registry.store(make_stored("laptop", "T-laptop-secret-0001")).has_value());
    CHECK(looked_up(registry).token.has_value());
    REQUIRE(store.inner.erase("laptop").has_value());
    REQUIRE(registry.refresh().has_value());
    CHECK(registry.size() == 0);
    CHECK_FALSE(looked_up(registry).token.has_value());
}

TEST_CASE("TokenRegistry: a locked store is an error for look-ups, never not-found",
          "[server][token_registry]") {
    FakeStore store;
    REQUIRE(store.inner.put(make_stored("laptop", "T-laptop-secret-0001")).has_value());
    TokenRegistry registry(store);
    REQUIRE(registry.refresh().has_value());
    store.fail_list = k_locked;
    auto refreshed = registry.refresh();
    REQUIRE_FALSE(refreshed.has_value());
    CHECK(refreshed.error().code == Errc::store_locked);

    // The cache is emptied and the error is what look-ups report.
    CHECK(registry.size() == 0);
    auto lookup = registry.lookup(k_url, Operation::read, k_today);
    REQUIRE_FALSE(lookup.has_value());
    CHECK(lookup.error().code == Errc::store_locked);
    CHECK(lookup.error().message == k_locked.message);
    REQUIRE(registry.store_error().has_value());
    CHECK(registry.store_error()->code == Errc::store_locked);
    auto listed = registry.list();
    REQUIRE_FALSE(listed.has_value());
    CHECK(listed.error().code == Errc::store_locked);
}

TEST_CASE("TokenRegistry: a store that fails to give a secret is an error, not a missing token",
          "[server][token_registry]") {
    FakeStore store;
    REQUIRE(store.inner.put(make_stored("laptop", "T-laptop-secret-0001")).has_value());
    store.fail_get = make_error(Errc::store_unavailable, "no Secret Service");
    TokenRegistry registry(store);
    auto refreshed = registry.refresh();
    REQUIRE_FALSE(refreshed.has_value());
    CHECK(refreshed.error().code == Errc::store_unavailable);
    auto lookup = registry.lookup(k_url, Operation::read, k_today);
    REQUIRE_FALSE(lookup.has_value());
    CHECK(lookup.error().code == Errc::store_unavailable);
}

TEST_CASE("TokenRegistry: after a failure the store is retried at most once a second",
          "[server][token_registry]") {
    FakeStore store;
    REQUIRE(store.inner.put(make_stored("laptop", "T-laptop-secret-0001")).has_value());
    store.fail_list = k_locked;
    TokenRegistry registry(store);
    REQUIRE_FALSE(registry.refresh().has_value());
    int lists = store.lists;

    // Unlocked, but within the second: the old error without asking the store again.
    store.fail_list.reset();
    auto soon = registry.lookup(k_url, Operation::read, k_today);
    REQUIRE_FALSE(soon.has_value());
    CHECK(soon.error().code == Errc::store_locked);
    CHECK(store.lists == lists);

    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    TokenLookup later = looked_up(registry);
    CHECK(store.lists == lists + 1);
    REQUIRE(later.token.has_value());
    CHECK(later.secret.view() == "T-laptop-secret-0001");
    CHECK_FALSE(registry.store_error().has_value());
}

TEST_CASE("TokenRegistry: store reaches the cache only when the store accepted it",
          "[server][token_registry]") {
    FakeStore store;
    TokenRegistry registry(store);
    REQUIRE(registry.store(make_stored("laptop", "T-laptop-secret-0001")).has_value());
    CHECK(registry.size() == 1);
    auto held = store.inner.get("laptop");
    REQUIRE(held.has_value());
    REQUIRE(held->has_value());
    CHECK((*held)->secret.view() == "T-laptop-secret-0001");
    CHECK((*held)->info.fingerprint.empty()); // computed in memory, never stored

    store.fail_put = k_locked;
    auto failed = registry.store(make_stored("ci", "T-ci-secret-00000002", Access::full));
    REQUIRE_FALSE(failed.has_value());
    CHECK(failed.error().code == Errc::store_locked);
    CHECK(registry.size() == 1);
    CHECK_FALSE(looked_up(registry, Operation::manage).token.has_value());
}

TEST_CASE("TokenRegistry: erase removes from the store first", "[server][token_registry]") {
    FakeStore store;
    TokenRegistry registry(store);
    REQUIRE(registry.store(make_stored("laptop", "T-laptop-secret-0001")).has_value());
    store.fail_erase = k_locked;
    auto failed = registry.erase("laptop");
    REQUIRE_FALSE(failed.has_value());
    CHECK(failed.error().code == Errc::store_locked);
    CHECK(looked_up(registry).token.has_value()); // still served: the store still has it

    store.fail_erase.reset();
    auto erased = registry.erase("laptop");
    REQUIRE(erased.has_value());
    CHECK(*erased);
    CHECK_FALSE(looked_up(registry).token.has_value());
    auto again = registry.erase("laptop");
    REQUIRE(again.has_value());
    CHECK_FALSE(*again);
}

TEST_CASE("TokenRegistry: erase_all removes every stored token and counts them",
          "[server][token_registry]") {
    FakeStore store;
    TokenRegistry registry(store);
    REQUIRE(registry.store(make_stored("a", "T-secret-of-a-00001")).has_value());
    REQUIRE(registry.store(make_stored("b", "T-secret-of-b-00002")).has_value());
    REQUIRE(store.inner.put(make_stored("c", "T-secret-of-c-00003")).has_value());
    auto erased = registry.erase_all();
    REQUIRE(erased.has_value());
    CHECK(*erased == 3);
    CHECK(registry.size() == 0);
    CHECK(store.inner.list()->empty());

    store.fail_list = k_locked;
    auto failed = registry.erase_all();
    REQUIRE_FALSE(failed.has_value());
    CHECK(failed.error().code == Errc::store_locked);
}

TEST_CASE("TokenRegistry: set_disabled changes the store and the cache",
          "[server][token_registry]") {
    FakeStore store;
    TokenRegistry registry(store);
    REQUIRE(registry.store(make_stored("laptop", "T-laptop-secret-0001")).has_value());
    auto disabled = registry.set_disabled("laptop", true);
    REQUIRE(disabled.has_value());
    CHECK(disabled->disabled);
    CHECK(disabled->fingerprint == fingerprint("T-laptop-secret-0001"));
    CHECK((*store.inner.get("laptop"))->info.disabled);
    TokenLookup lookup = looked_up(registry);
    CHECK_FALSE(lookup.token.has_value());
    REQUIRE(lookup.rejected.size() == 1);
    CHECK(lookup.rejected[0].reason == Rejection::disabled);

    // Already disabled: nothing to write.
    int puts = store.puts;
    REQUIRE(registry.set_disabled("laptop", true).has_value());
    CHECK(store.puts == puts);

    store.fail_put = k_locked;
    auto failed = registry.set_disabled("laptop", false);
    REQUIRE_FALSE(failed.has_value());
    CHECK(failed.error().code == Errc::store_locked);
    CHECK_FALSE(looked_up(registry).token.has_value()); // still disabled

    store.fail_put.reset();
    REQUIRE(registry.set_disabled("laptop", false).has_value());
    CHECK(looked_up(registry).token.has_value());
}

TEST_CASE("TokenRegistry: set_disabled of an unknown token is not_found",
          "[server][token_registry]") {
    FakeStore store;
    TokenRegistry registry(store);
    auto missing = registry.set_disabled("nobody", true);
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().code == Errc::not_found);
    CHECK_THAT(missing.error().message, Catch::Contains("'nobody'"));

    store.fail_get = k_locked;
    auto locked = registry.set_disabled("nobody", true);
    REQUIRE_FALSE(locked.has_value());
    CHECK(locked.error().code == Errc::store_locked); // locked is not "not found"
}

TEST_CASE("TokenRegistry: name_of_same_token finds the same token under another name",
          "[server][token_registry]") {
    FakeStore store;
    TokenRegistry registry(store);
    REQUIRE(registry.store(make_stored("laptop", "T-laptop-secret-0001")).has_value());
    REQUIRE(registry.store(make_stored("ci", "T-ci-secret-00000002")).has_value());
    const std::string print = fingerprint("T-laptop-secret-0001");
    CHECK(registry.name_of_same_token(print, "desktop") == std::optional<std::string>("laptop"));
    CHECK_FALSE(registry.name_of_same_token(print, "laptop").has_value());
    CHECK_FALSE(registry.name_of_same_token(fingerprint("T-other-secret-0003"), "x").has_value());
}

TEST_CASE("TokenRegistry: list re-reads the store", "[server][token_registry]") {
    FakeStore store;
    TokenRegistry registry(store);
    REQUIRE(registry.store(make_stored("laptop", "T-laptop-secret-0001")).has_value());
    REQUIRE(store.inner.put(make_stored("direct", "T-direct-secret-0002")).has_value());
    auto listed = registry.list();
    REQUIRE(listed.has_value());
    CHECK(listed->size() == 2);
    for (const auto& info : *listed) {
        CHECK(info.fingerprint
              == fingerprint(info.name == "laptop" ? "T-laptop-secret-0001"
                                                   : "T-direct-secret-0002"));
    }
    CHECK(registry.size() == 2);
}
