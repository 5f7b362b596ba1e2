// SPDX-License-Identifier: MIT
#include "authenticator.hpp"

#include "token.hpp"

namespace feed {

std::string loggable_prefix(const std::string& token) {
    if (token.size() < 2 * k_token_prefix_length) {
        return "";
    }
    return token_prefix(token);
}

Authenticator::Authenticator(ValidationCache& cache)
    : m_cache(cache) {}

AuthResult Authenticator::authenticate(const PresentedAuth& presented,
                                       std::chrono::system_clock::time_point now,
                                       ValidationCache::Clock::time_point monotonic_now) const {
    AuthResult result;
    if (presented.refusal) {
        result.outcome = AuthOutcome::refused;
        result.scheme = presented.refused_scheme;
        result.username = presented.refused_username;
        result.token_prefix = loggable_prefix(presented.refused_token);
        result.reason = *presented.refusal;
        return result;
    }
    if (presented.candidates.empty()) {
        return result;
    }
    for (const auto& candidate : presented.candidates) {
        auto record = m_cache.find(sha256_hex(candidate.token), monotonic_now);
        if (record && record->active && !is_expired(record->expires, now)) {
            result.outcome = AuthOutcome::authenticated;
            result.scheme = candidate.scheme;
            result.username = candidate.username;
            result.token_prefix = record->prefix;
            result.token = std::move(record);
            return result;
        }
        if (result.reason.empty()) {
            result.scheme = candidate.scheme;
            result.username = candidate.username;
            if (!record) {
                result.token_prefix = loggable_prefix(candidate.token);
                result.reason = "unknown token";
            } else {
                result.token_prefix = record->prefix;
                result.reason = record->active ? "token " + record->prefix + " expired on "
                                                     + format_date(*record->expires)
                                               : "token " + record->prefix + " is deactivated";
            }
        }
    }
    result.outcome = AuthOutcome::refused;
    return result;
}

} // namespace feed
