// SPDX-License-Identifier: MIT
#include "token_registry.hpp"

#include <agent/server/fingerprint.hpp>

#include <malloc.h>

namespace feedz {

namespace {

void add_fingerprint(StoredToken& token) {
    token.info.fingerprint = fingerprint(token.secret.view());
}

bool same_metadata(const TokenInfo& a, const TokenInfo& b) {
    return a.name == b.name && a.prefix == b.prefix && a.scopes == b.scopes && a.access == b.access
           && a.expires == b.expires && a.created == b.created && a.disabled == b.disabled;
}

constexpr std::chrono::milliseconds k_unlocked_verdict_lifetime{100};

std::int64_t steady_now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace

TokenRegistry::TokenRegistry(SecretStore& store)
    : m_store(store) {}

Result<void> TokenRegistry::refresh() {
    std::unique_lock lock(m_mutex);
    return refresh_locked();
}

Result<void> TokenRegistry::refresh_locked() {
    m_last_attempt = std::chrono::steady_clock::now();
    auto listed = m_store.list();
    if (!listed) {
        m_tokens.clear();
        m_error = listed.error();
        return listed.error();
    }
    TokenSet fresh;
    for (auto& info : *listed) {
        const TokenInfo* cached = m_tokens.find(info.name);
        if (cached != nullptr && same_metadata(*cached, info)) {
            fresh.put(StoredToken{*cached, m_tokens.secret(info.name)->clone()});
            continue;
        }
        auto loaded = m_store.get(info.name);
        if (!loaded) {
            m_tokens.clear();
            m_error = loaded.error();
            return loaded.error();
        }
        if (*loaded) {
            add_fingerprint(**loaded);
            fresh.put(std::move(**loaded));
        }
    }
    m_tokens = std::move(fresh);
    m_error.reset();
    // Loading through libsecret churns through many small D-Bus objects; hand the freed
    // memory back rather than keep it resident for the agent's lifetime.
    ::malloc_trim(0);
    return {};
}

Result<void> TokenRegistry::recover_locked() {
    if (!m_error) {
        return {};
    }
    if (std::chrono::steady_clock::now() - m_last_attempt < std::chrono::seconds(1)) {
        return *m_error;
    }
    return refresh_locked();
}

bool TokenRegistry::unlocked_recently() {
    std::int64_t now = steady_now_ns();
    std::int64_t verified = m_unlocked_at_ns.load();
    if (verified != 0
        && now - verified
               < std::chrono::duration_cast<std::chrono::nanoseconds>(k_unlocked_verdict_lifetime)
                     .count()) {
        return true;
    }
    if (!m_store.check_unlocked()) {
        return false;
    }
    m_unlocked_at_ns.store(now);
    return true;
}

Result<TokenLookup> TokenRegistry::lookup(std::string_view url,
                                          Operation operation,
                                          Date today,
                                          std::optional<std::string_view> only_name) {
    // Before the cache serves a token, the store confirms it is still unlocked (for the
    // keychain: one D-Bus property read), at most every 100 ms. Waiting for the Secret
    // Service's PropertiesChanged signal instead would need a GLib main loop in the agent and
    // would still race with a look-up made right after the lock.
    {
        std::shared_lock lock(m_mutex);
        if (!m_error && unlocked_recently()) {
            return m_tokens.lookup(url, operation, today, only_name);
        }
    }
    m_unlocked_at_ns.store(0);
    std::unique_lock lock(m_mutex);
    if (m_error) {
        FEEDZ_TRY(recover_locked());
    } else {
        // The check failed: read the store again, which empties the cache if it is locked.
        FEEDZ_TRY(refresh_locked());
    }
    return m_tokens.lookup(url, operation, today, only_name);
}

Result<void> TokenRegistry::store(StoredToken token) {
    std::unique_lock lock(m_mutex);
    FEEDZ_TRY(m_store.put(token));
    add_fingerprint(token);
    m_tokens.put(std::move(token));
    return {};
}

Result<bool> TokenRegistry::erase(std::string_view name) {
    std::unique_lock lock(m_mutex);
    auto erased = m_store.erase(name);
    if (!erased) {
        return erased.error();
    }
    m_tokens.erase(name);
    return erased;
}

Result<std::size_t> TokenRegistry::erase_all() {
    std::unique_lock lock(m_mutex);
    auto listed = m_store.list();
    if (!listed) {
        return listed.error();
    }
    std::size_t erased = 0;
    for (const auto& info : *listed) {
        auto result = m_store.erase(info.name);
        if (!result) {
            return result.error();
        }
        m_tokens.erase(info.name);
        erased += *result ? 1U : 0U;
    }
    return erased;
}

Result<std::vector<TokenInfo>> TokenRegistry::list() {
    std::unique_lock lock(m_mutex);
    FEEDZ_TRY(refresh_locked());
    auto infos = m_tokens.infos();
    return std::vector<TokenInfo>(infos.begin(), infos.end());
}

Result<TokenInfo> TokenRegistry::set_disabled(std::string_view name, bool disabled) {
    std::unique_lock lock(m_mutex);
    auto stored = m_store.get(name);
    if (!stored) {
        return stored.error();
    }
    if (!*stored) {
        return make_error(Errc::not_found,
                          "no token named '" + std::string(name) + "'; see `feedz-agent list`");
    }
    StoredToken token = std::move(**stored);
    if (token.info.disabled != disabled) {
        token.info.disabled = disabled;
        FEEDZ_TRY(m_store.put(token));
    }
    add_fingerprint(token);
    TokenInfo info = token.info;
    m_tokens.put(std::move(token));
    return info;
}

std::optional<std::string> TokenRegistry::name_of_same_token(const std::string& fingerprint_text,
                                                             std::string_view other_than) const {
    std::shared_lock lock(m_mutex);
    for (const auto& info : m_tokens.infos()) {
        if (info.fingerprint == fingerprint_text && info.name != other_than) {
            return info.name;
        }
    }
    return std::nullopt;
}

std::size_t TokenRegistry::size() const {
    std::shared_lock lock(m_mutex);
    return m_tokens.size();
}

std::optional<Error> TokenRegistry::store_error() const {
    std::shared_lock lock(m_mutex);
    return m_error;
}

} // namespace feedz
