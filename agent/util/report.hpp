// SPDX-License-Identifier: MIT
#pragma once

#include <agent/util/result.hpp>

namespace feedz {

// Exit codes (DESIGN §3), BSD sysexits where one fits better than 1.
inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_failure = 1;
inline constexpr int k_exit_usage = 2;
inline constexpr int k_exit_unavailable = 69; // EX_UNAVAILABLE
inline constexpr int k_exit_permission = 77;  // EX_NOPERM

int exit_code_for(const Error& error);

// Prints "feedz-agent: error: <message>" (and "feedz-agent: <hint>" when there is one) to
// stderr and returns the matching exit code.
int report(const Error& error);

} // namespace feedz
