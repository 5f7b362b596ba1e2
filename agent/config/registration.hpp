// SPDX-License-Identifier: MIT
#pragma once

#include <agent/config/managed_state.hpp>
#include <agent/core/feed.hpp>
#include <agent/core/token.hpp>
#include <agent/util/arguments.hpp>
#include <agent/util/secret_string.hpp>

#include <string>
#include <vector>

namespace feedz {

// What `login` hands each package manager's module once the token is stored: register the
// feeds in that package manager's configuration, record every entry written in `state` (so
// that logout removes exactly that), and add lines for the user to `notes`.
struct Registration {
    const TokenInfo& token;
    const std::vector<Feed>& feeds;
    const SecretString& secret;
    const Arguments& arguments;
    ManagedState& state;
    std::vector<std::string>& notes;
};

} // namespace feedz
