// SPDX-License-Identifier: MIT
#include "token_set.hpp"

namespace feedz {

std::optional<std::size_t> TokenSet::index_of(std::string_view name) const {
    for (std::size_t i = 0; i < m_infos.size(); ++i) {
        if (m_infos[i].name == name) {
            return i;
        }
    }
    return std::nullopt;
}

void TokenSet::put(StoredToken token) {
    if (auto index = index_of(token.info.name)) {
        m_infos[*index] = std::move(token.info);
        m_secrets[*index] = std::move(token.secret);
        return;
    }
    m_infos.push_back(std::move(token.info));
    m_secrets.push_back(std::move(token.secret));
}

bool TokenSet::erase(std::string_view name) {
    auto index = index_of(name);
    if (!index) {
        return false;
    }
    m_infos.erase(m_infos.begin() + static_cast<std::ptrdiff_t>(*index));
    m_secrets.erase(m_secrets.begin() + static_cast<std::ptrdiff_t>(*index));
    return true;
}

void TokenSet::clear() {
    m_infos.clear();
    m_secrets.clear();
}

const TokenInfo* TokenSet::find(std::string_view name) const {
    auto index = index_of(name);
    return index ? &m_infos[*index] : nullptr;
}

const SecretString* TokenSet::secret(std::string_view name) const {
    auto index = index_of(name);
    return index ? &m_secrets[*index] : nullptr;
}

TokenLookup TokenSet::lookup(std::string_view url,
                             Operation operation,
                             Date today,
                             std::optional<std::string_view> only_name) const {
    std::span<const TokenInfo> candidates = m_infos;
    std::size_t offset = 0;
    if (only_name) {
        auto index = index_of(*only_name);
        if (!index) {
            return {};
        }
        candidates = candidates.subspan(*index, 1);
        offset = *index;
    }
    Selection selection = select_token(candidates, url, operation, today);
    TokenLookup lookup;
    if (selection.chosen) {
        lookup.token = m_infos[offset + *selection.chosen];
        lookup.secret = m_secrets[offset + *selection.chosen].clone();
    }
    for (const auto& rejected : selection.rejected) {
        lookup.rejected.push_back({m_infos[offset + rejected.index], rejected.reason});
    }
    return lookup;
}

} // namespace feedz
