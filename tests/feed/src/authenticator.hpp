// SPDX-License-Identifier: MIT
#pragma once

#include "credentials.hpp"
#include "token_store.hpp"
#include "validation_cache.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace feed {

enum class AuthOutcome { anonymous, authenticated, refused };

// The result of authenticating one request: who it is (for the log) and which token it used.
struct AuthResult {
    AuthOutcome outcome = AuthOutcome::anonymous;
    AuthScheme scheme = AuthScheme::none;
    std::string username;
    std::string token_prefix;
    std::optional<TokenRecord> token;
    // Why a refused request was refused; safe to show (names at most the token prefix).
    std::string reason;
};

// Checks the offered tokens against the token store through the validation cache. The first
// candidate that is a known, active, unexpired token wins; a refusal (Bearer, empty username…)
// wins over everything.
class Authenticator {
public:
    explicit Authenticator(ValidationCache& cache);

    AuthResult authenticate(const PresentedAuth& presented,
                            std::chrono::system_clock::time_point now,
                            ValidationCache::Clock::time_point monotonic_now) const;

private:
    ValidationCache& m_cache;
};

// The token prefix to log for a presented string: its first 7 characters, but only if it is long
// enough that this cannot be all of it.
std::string loggable_prefix(const std::string& token);

} // namespace feed
