// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

namespace feedz {

// "sha256:<hex>" of `token`. Computed in memory by the agent to recognise the same token under
// two names; never stored (keychain attributes are not encrypted).
std::string fingerprint(std::string_view token);

} // namespace feedz
