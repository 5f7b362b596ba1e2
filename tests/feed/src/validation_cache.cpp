// SPDX-License-Identifier: MIT
#include "validation_cache.hpp"

#include <utility>

namespace feed {

namespace {

constexpr std::size_t k_max_entries = 4096;

} // namespace

ValidationCache::ValidationCache(std::chrono::seconds lifetime, Lookup lookup)
    : m_lifetime(lifetime)
    , m_lookup(std::move(lookup)) {}

std::optional<TokenRecord> ValidationCache::find(const std::string& hash, Clock::time_point now) {
    if (m_lifetime.count() <= 0) {
        return m_lookup(hash);
    }
    {
        std::lock_guard lock(m_mutex);
        auto it = m_entries.find(hash);
        if (it != m_entries.end() && now - it->second.fetched < m_lifetime) {
            return it->second.record;
        }
    }
    auto record = m_lookup(hash);
    std::lock_guard lock(m_mutex);
    if (m_entries.size() >= k_max_entries) {
        evict_stale(now);
    }
    m_entries[hash] = Entry{record, now};
    return record;
}

void ValidationCache::evict_stale(Clock::time_point now) {
    for (auto it = m_entries.begin(); it != m_entries.end();) {
        if (now - it->second.fetched >= m_lifetime) {
            it = m_entries.erase(it);
        } else {
            ++it;
        }
    }
    if (m_entries.size() >= k_max_entries) {
        m_entries.clear();
    }
}

} // namespace feed
