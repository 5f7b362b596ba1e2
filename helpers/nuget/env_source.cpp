// SPDX-License-Identifier: MIT
#include "env_source.hpp"

#include <agent/core/environment.hpp>

namespace feedz::nuget {

EnvSource::EnvSource(Result<TokenSet> tokens) {
    if (tokens) {
        m_tokens.emplace(std::move(*tokens));
    } else {
        m_error = tokens.error();
    }
}

bool EnvSource::configured() {
    return get_env(k_env_pat).has_value() || get_env(k_env_credentials).has_value();
}

Result<TokenLookup> EnvSource::lookup(std::string_view url, Operation operation) {
    if (!m_tokens) {
        return m_error;
    }
    return m_tokens->lookup(url, operation, today_utc());
}

} // namespace feedz::nuget
