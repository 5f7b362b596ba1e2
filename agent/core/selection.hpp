// SPDX-License-Identifier: MIT
#pragma once

#include <agent/core/token.hpp>

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace feedz {

// Why a token whose scope covers the URL was passed over (names: agent/ipc/protocol.hpp).
enum class Rejection { disabled, expired, insufficient_access };

struct RejectedToken {
    std::size_t index;
    Rejection reason;
};

struct Selection {
    std::optional<std::size_t> chosen; // index into the tokens given; empty = not found
    std::vector<RejectedToken> rejected;
};

// Picks the token for `operation` on `url` (normalised, see normalize_url()): among the
// enabled, unexpired tokens whose scope is a path-segment prefix of `url`, the longest scope
// wins, then the lowest access level that suffices (known levels before unknown), then the
// newest. Tokens that cover the URL but were passed over are listed in `rejected` so that a
// client can say why nothing was found. Finding nothing is not an error.
Selection select_token(std::span<const TokenInfo> tokens,
                       std::string_view url,
                       Operation operation,
                       Date today);

} // namespace feedz
