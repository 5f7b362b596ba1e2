// SPDX-License-Identifier: MIT
#include "report.hpp"

#include <cstdio>

namespace feedz {

int exit_code_for(const Error& error) {
    if (error.exit_code != 0) {
        return error.exit_code;
    }
    switch (error.code) {
    case Errc::invalid_argument:
        return k_exit_usage;
    case Errc::agent_unavailable:
    case Errc::store_unavailable:
        return k_exit_unavailable;
    case Errc::store_locked:
    case Errc::permission_denied:
        return k_exit_permission;
    default:
        return k_exit_failure;
    }
}

int report(const Error& error) {
    std::fprintf(stderr, "feedz-agent: error: %s\n", error.message.c_str());
    if (!error.hint.empty()) {
        std::fprintf(stderr, "feedz-agent: %s\n", error.hint.c_str());
    }
    return exit_code_for(error);
}

} // namespace feedz
