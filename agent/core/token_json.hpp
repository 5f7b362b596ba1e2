// SPDX-License-Identifier: MIT
#pragma once

#include <agent/core/token.hpp>
#include <agent/util/result.hpp>

#include <nlohmann/json.hpp>

namespace feedz {

// A token's metadata as JSON: the form used on the agent's socket and in `list --json`.
// It never holds the token itself.
nlohmann::json to_json(const TokenInfo& info);

// Inverse of to_json(); a missing or malformed field is a protocol error.
Result<TokenInfo> token_info_from_json(const nlohmann::json& json);

} // namespace feedz
