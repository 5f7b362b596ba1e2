// SPDX-License-Identifier: MIT
#include "memory_store.hpp"

namespace feedz {

Result<std::optional<StoredToken>> MemoryStore::get(std::string_view name) {
    std::lock_guard lock(m_mutex);
    auto it = m_tokens.find(name);
    if (it == m_tokens.end()) {
        return std::optional<StoredToken>();
    }
    return std::optional<StoredToken>(StoredToken{it->second.info, it->second.secret.clone()});
}

Result<void> MemoryStore::put(const StoredToken& token) {
    std::lock_guard lock(m_mutex);
    m_tokens.insert_or_assign(token.info.name, StoredToken{token.info, token.secret.clone()});
    return {};
}

Result<bool> MemoryStore::erase(std::string_view name) {
    std::lock_guard lock(m_mutex);
    auto it = m_tokens.find(name);
    if (it == m_tokens.end()) {
        return false;
    }
    m_tokens.erase(it);
    return true;
}

Result<std::vector<TokenInfo>> MemoryStore::list() {
    std::lock_guard lock(m_mutex);
    std::vector<TokenInfo> infos;
    infos.reserve(m_tokens.size());
    for (const auto& [name, token] : m_tokens) {
        infos.push_back(token.info);
    }
    return infos;
}

} // namespace feedz
