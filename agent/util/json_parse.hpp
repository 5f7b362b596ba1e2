// SPDX-License-Identifier: MIT
#pragma once

#include <agent/util/result.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string_view>

namespace feedz {

// Deeper than any message, token or FEEDZ_CREDENTIALS list we read (they nest three levels),
// shallow enough that code walking a parsed document recursively never runs out of stack.
inline constexpr std::size_t k_max_json_depth = 32;

// Parses JSON that arrives from outside the process (the environment, a socket, a pipe). A
// document nested deeper than k_max_json_depth is refused while it is parsed, before it is
// built. The error never quotes the text (it may hold a token), and whatever was parsed before
// an error has its strings wiped.
Result<nlohmann::json> parse_untrusted_json(std::string_view text);

} // namespace feedz
