// SPDX-License-Identifier: MIT
#pragma once

#include <agent/core/token.hpp>
#include <agent/util/result.hpp>

#include <optional>
#include <string_view>
#include <vector>

namespace feedz {

// Where tokens live. Four operations; a missing token is an empty optional (or `false` from
// erase), never an error, so that an unreachable or locked keychain can never be mistaken for
// "not stored" (git-credential-manager once deleted users' credentials over exactly that).
class SecretStore {
public:
    virtual ~SecretStore() = default;

    // "secret-service" or "memory".
    virtual const char* kind() const = 0;

    // The token stored under `name`, with its secret.
    virtual Result<std::optional<StoredToken>> get(std::string_view name) = 0;

    // Stores `token` under its name, replacing any token of that name.
    virtual Result<void> put(const StoredToken& token) = 0;

    // Removes the token `name`; false when there was none.
    virtual Result<bool> erase(std::string_view name) = 0;

    // The metadata of every stored token, without secrets.
    virtual Result<std::vector<TokenInfo>> list() = 0;

    // A quick check, made before the agent serves a token from its cache, that the store would
    // still hand it out: a keychain locked since the cache was filled fails with store_locked.
    virtual Result<void> check_unlocked() { return {}; }

    // True once the service behind the store is gone for good (the session bus closed); the
    // agent then exits rather than serve errors forever.
    virtual bool connection_lost() const { return false; }
};

} // namespace feedz
