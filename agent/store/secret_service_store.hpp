// SPDX-License-Identifier: MIT
#pragma once

#include <agent/store/secret_store.hpp>

#include <memory>
#include <mutex>

namespace feedz {

// Tokens in the OS keychain through the freedesktop Secret Service (gnome-keyring, KeePassXC),
// in its default collection. The only code that includes libsecret. Attributes hold the
// metadata (name, prefix, scopes, access, expiry, created, disabled) so that listing needs no
// secrets; the secret is the token alone.
class SecretServiceStore final : public SecretStore {
public:
    SecretServiceStore();
    ~SecretServiceStore() override;

    const char* kind() const override { return "secret-service"; }

    Result<std::optional<StoredToken>> get(std::string_view name) override;
    Result<void> put(const StoredToken& token) override;
    Result<bool> erase(std::string_view name) override;
    Result<std::vector<TokenInfo>> list() override;
    Result<void> check_unlocked() override;

    bool connection_lost() const override;

    // The libsecret schema name, for tools that look at the keychain (secret-tool, Seahorse).
    static const char* schema_name();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    mutable std::mutex m_mutex;
};

} // namespace feedz
