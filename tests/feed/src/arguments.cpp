// SPDX-License-Identifier: MIT
#include "arguments.hpp"

#include <utility>

namespace feed {

Arguments::Arguments(std::vector<std::string> args)
    : m_args(std::move(args)) {}

void Arguments::accept_only(std::initializer_list<std::string_view> known) const {
    for (const auto& arg : m_args) {
        if (arg.size() <= 2 || arg.rfind("--", 0) != 0) {
            continue;
        }
        auto name = std::string_view(arg).substr(0, arg.find('='));
        bool found = false;
        for (auto candidate : known) {
            found = found || candidate == name;
        }
        if (!found) {
            throw UsageError("unknown option " + std::string(name));
        }
    }
}

std::optional<std::string> Arguments::option(const std::string& name) {
    for (std::size_t i = 0; i < m_args.size(); ++i) {
        if (m_args[i] == name) {
            if (i + 1 >= m_args.size()) {
                throw UsageError(name + " needs a value");
            }
            auto value = m_args[i + 1];
            m_args.erase(m_args.begin() + static_cast<std::ptrdiff_t>(i),
                         m_args.begin() + static_cast<std::ptrdiff_t>(i + 2));
            return value;
        }
        if (m_args[i].rfind(name + "=", 0) == 0) {
            auto value = m_args[i].substr(name.size() + 1);
            m_args.erase(m_args.begin() + static_cast<std::ptrdiff_t>(i));
            return value;
        }
    }
    return std::nullopt;
}

std::string Arguments::required_option(const std::string& name) {
    auto value = option(name);
    if (!value) {
        throw UsageError("missing " + name);
    }
    return *value;
}

bool Arguments::flag(const std::string& name) {
    for (std::size_t i = 0; i < m_args.size(); ++i) {
        if (m_args[i] == name) {
            m_args.erase(m_args.begin() + static_cast<std::ptrdiff_t>(i));
            return true;
        }
    }
    return false;
}

std::vector<std::string> Arguments::positionals(std::size_t count, const std::string& usage) {
    auto rest = positionals_at_least(count, usage);
    if (rest.size() != count) {
        throw UsageError("too many arguments; usage: " + usage);
    }
    return rest;
}

std::vector<std::string> Arguments::positionals_at_least(std::size_t minimum,
                                                         const std::string& usage) {
    for (const auto& arg : m_args) {
        if (arg.size() > 2 && arg.rfind("--", 0) == 0) {
            throw UsageError("unknown option " + arg.substr(0, arg.find('='))
                             + "; usage: " + usage);
        }
    }
    if (m_args.size() < minimum) {
        throw UsageError("usage: " + usage);
    }
    return std::move(m_args);
}

} // namespace feed
