// SPDX-License-Identifier: MIT
#include "environment.hpp"

#include <cstdlib>

namespace feedz {

std::optional<std::string> get_env(std::string_view name) {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr || *value == '\0') {
        return std::nullopt;
    }
    return std::string(value);
}

} // namespace feedz
