// SPDX-License-Identifier: MIT
#pragma once

#include <agent/core/token_set.hpp>
#include <agent/store/secret_store.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <shared_mutex>

namespace feedz {

// The agent's view of the tokens: the store's content cached in memory, so that a look-up is
// a few microseconds instead of a D-Bus round trip to the keychain. Every change goes to the
// store first and reaches the cache only when the store accepted it. refresh() picks up
// changes made behind the agent's back (and a keychain that was locked meanwhile).
class TokenRegistry {
public:
    explicit TokenRegistry(SecretStore& store);

    // Re-reads the store's metadata, loading secrets only for new or changed tokens. On
    // failure the cache is emptied and the error is what look-ups report until a refresh works.
    Result<void> refresh();

    Result<TokenLookup> lookup(std::string_view url,
                               Operation operation,
                               Date today,
                               std::optional<std::string_view> only_name = std::nullopt);

    Result<void> store(StoredToken token);

    Result<bool> erase(std::string_view name);

    Result<std::size_t> erase_all();

    // Up-to-date metadata of every token.
    Result<std::vector<TokenInfo>> list();

    Result<TokenInfo> set_disabled(std::string_view name, bool disabled);

    // The name of another token with this fingerprint (the same token stored twice).
    std::optional<std::string> name_of_same_token(const std::string& fingerprint,
                                                  std::string_view other_than) const;

    std::size_t size() const;

    // Why the store could not be read at the last refresh, if it could not.
    std::optional<Error> store_error() const;

    SecretStore& store_backend() { return m_store; }

private:
    Result<void> refresh_locked();

    // Retries a failed refresh, at most once per second, so a keychain unlocked meanwhile is
    // noticed without hammering a broken one.
    Result<void> recover_locked();

    // Whether the store said it was unlocked within k_unlocked_verdict_lifetime, asking it
    // again when that verdict is older. Called under the shared lock.
    bool unlocked_recently();

    SecretStore& m_store;
    mutable std::shared_mutex m_mutex;
    TokenSet m_tokens;
    std::optional<Error> m_error;
    std::chrono::steady_clock::time_point m_last_attempt{};
    // When the store last said it was unlocked (steady clock, in ns; 0: not since the last
    // failure). Asking is a D-Bus round trip for the keychain, about ten times a cached
    // look-up, so a verdict serves the look-ups of the next 100 ms: a lock takes effect
    // within that.
    std::atomic<std::int64_t> m_unlocked_at_ns{0};
};

} // namespace feedz
