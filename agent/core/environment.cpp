// SPDX-License-Identifier: MIT
#include "environment.hpp"

#include <limits.h>
#include <unistd.h>

#include <cstdlib>

namespace feedz {

std::optional<std::string> get_env(std::string_view name) {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr || *value == '\0') {
        return std::nullopt;
    }
    return std::string(value);
}

namespace {

class ProcessEnvironment final : public Environment {
public:
    std::optional<std::string> get(std::string_view name) const override { return get_env(name); }

    std::string current_directory() const override {
        char buffer[PATH_MAX];
        return ::getcwd(buffer, sizeof(buffer)) != nullptr ? std::string(buffer) : std::string(".");
    }
};

} // namespace

const Environment& process_environment() {
    static const ProcessEnvironment environment;
    return environment;
}

} // namespace feedz
