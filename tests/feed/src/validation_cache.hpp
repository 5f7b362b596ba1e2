// SPDX-License-Identifier: MIT
#pragma once

#include "token_store.hpp"

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace feed {

// What a real server does to avoid a database hit per request: remember the result of looking up
// a token hash for a fixed lifetime. A change made by another process (deactivate, activate) is
// seen once the cached entry is older than the lifetime, so the lifetime is the revocation delay.
// Unknown tokens are cached too. A lifetime of zero disables caching.
class ValidationCache {
public:
    using Clock = std::chrono::steady_clock;
    using Lookup = std::function<std::optional<TokenRecord>(const std::string& hash)>;

    ValidationCache(std::chrono::seconds lifetime, Lookup lookup);

    std::optional<TokenRecord> find(const std::string& hash, Clock::time_point now);

private:
    struct Entry {
        std::optional<TokenRecord> record;
        Clock::time_point fetched;
    };

    void evict_stale(Clock::time_point now);

    std::chrono::seconds m_lifetime;
    Lookup m_lookup;
    std::mutex m_mutex;
    std::unordered_map<std::string, Entry> m_entries;
};

} // namespace feed
