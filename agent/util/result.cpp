// SPDX-License-Identifier: MIT
#include "result.hpp"

#include <array>
#include <utility>

namespace feedz {

namespace {

constexpr std::array<std::pair<Errc, const char*>, 13> k_names = {{
    {Errc::invalid_argument, "invalid_argument"},
    {Errc::store_locked, "store_locked"},
    {Errc::store_unavailable, "store_unavailable"},
    {Errc::read_only, "read_only"},
    {Errc::agent_unavailable, "agent_unavailable"},
    {Errc::already_running, "already_running"},
    {Errc::permission_denied, "permission_denied"},
    {Errc::protocol_error, "protocol_error"},
    {Errc::timeout, "timeout"},
    {Errc::io_error, "io_error"},
    {Errc::not_found, "not_found"},
    {Errc::token_rejected, "token_rejected"},
    {Errc::internal, "internal"},
}};

} // namespace

const char* to_string(Errc code) {
    for (const auto& [value, name] : k_names) {
        if (value == code) {
            return name;
        }
    }
    return "internal";
}

Errc errc_from_string(const std::string& name) {
    for (const auto& [value, text] : k_names) {
        if (name == text) {
            return value;
        }
    }
    return Errc::internal;
}

} // namespace feedz
