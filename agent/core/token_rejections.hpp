// SPDX-License-Identifier: MIT
#pragma once

#include <agent/core/token_set.hpp>
#include <agent/util/result.hpp>

#include <string>
#include <vector>

namespace feedz {

// "'laptop' (T-abc12…) is Read, 'old' (T-def34…) is expired"
std::string describe_rejections(const std::vector<RejectedTokenInfo>& rejected);

// True when some token was passed over only because its level is too low.
bool has_insufficient_access(const std::vector<RejectedTokenInfo>& rejected);

// The error for a command (`what`: "npm publish") that needs `operation` on `feed_url` when
// only `rejected` tokens exist; it says which level to store and how.
Error needs_access(const std::string& what,
                   Operation operation,
                   const std::string& feed_url,
                   const std::vector<RejectedTokenInfo>& rejected);

} // namespace feedz
