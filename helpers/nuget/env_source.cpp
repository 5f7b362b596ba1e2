// SPDX-License-Identifier: MIT
#include "env_source.hpp"

#include <agent/core/environment.hpp>

namespace feedz::nuget {

EnvSource::EnvSource(Result<EnvStore> store) {
    if (store) {
        m_store.emplace(std::move(*store));
    } else {
        m_error = store.error();
    }
}

bool EnvSource::configured() {
    return get_env(k_env_pat).has_value() || get_env(k_env_credentials).has_value();
}

Result<TokenLookup> EnvSource::lookup(std::string_view url, Operation operation) {
    if (!m_store) {
        return m_error;
    }
    return m_store->tokens().lookup(url, operation, today_utc());
}

} // namespace feedz::nuget
