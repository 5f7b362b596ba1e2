// SPDX-License-Identifier: MIT
#pragma once

#include <agent/core/environment.hpp>

#include <map>
#include <optional>
#include <string>

// An environment and working directory for the commands' unit tests.
class FakeEnvironment final : public feedz::Environment {
public:
    std::map<std::string, std::string, std::less<>> variables;
    std::string cwd = "/";

    std::optional<std::string> get(std::string_view name) const override {
        auto found = variables.find(name);
        if (found == variables.end() || found->second.empty()) {
            return std::nullopt;
        }
        return found->second;
    }

    std::string current_directory() const override { return cwd; }
};
