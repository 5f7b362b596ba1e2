// SPDX-License-Identifier: MIT
#pragma once

#include <stdlib.h>

#include <optional>
#include <string>

// Sets or unsets an environment variable for the scope of a test and restores it afterwards.
class EnvironmentVariableGuard {
public:
    EnvironmentVariableGuard(std::string name, const char* value)
        : m_name(std::move(name)) {
        if (const char* old = ::getenv(m_name.c_str())) {
            m_old = old;
        }
        if (value != nullptr) {
            ::setenv(m_name.c_str(), value, 1);
        } else {
            ::unsetenv(m_name.c_str());
        }
    }

    EnvironmentVariableGuard(const EnvironmentVariableGuard&) = delete;
    EnvironmentVariableGuard& operator=(const EnvironmentVariableGuard&) = delete;

    ~EnvironmentVariableGuard() {
        if (m_old) {
            ::setenv(m_name.c_str(), m_old->c_str(), 1);
        } else {
            ::unsetenv(m_name.c_str());
        }
    }

private:
    std::string m_name;
    std::optional<std::string> m_old;
};
