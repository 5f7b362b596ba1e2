// SPDX-License-Identifier: MIT
// npm checks that `login` runs and `doctor` can run: the token against the feed's npm
// registry, and the preflight over the user's npm config files.
#pragma once

#include <agent/core/feed.hpp>
#include <agent/core/token.hpp>
#include <agent/net/feed_probe.hpp>
#include <agent/npm/npm_preflight.hpp>
#include <agent/util/result.hpp>
#include <agent/util/secret_string.hpp>

#include <optional>
#include <string>
#include <vector>

namespace feedz {

// Asks the feed's npm registry who the token is (GET {root}npm/-/whoami, what `npm whoami`
// sends, with the token as the Basic password). A registry without whoami (404) is asked
// for the feed's NuGet service index instead: the token rules are the feed's either way.
Result<ProbeAnswer> probe_npm_registry(const Feed& feed,
                                       const SecretString& token,
                                       const FeedProbe& probe = probe_feed);

// What an answer says about the stored token `token` on `feed`: nullopt when the feed took it,
// otherwise a finding that names the token by its prefix ("the feed rejected 'laptop'
// (T-abc12…): 401 ..."), for doctor.
std::optional<NpmFinding>
judge_npm_answer(const Feed& feed, const TokenInfo& token, const ProbeAnswer& answer);

// The preflight (npm_preflight()) over the npm files npm would read in the current directory,
// for `feeds`.
Result<std::vector<NpmFinding>> npm_preflight_here(const std::vector<Feed>& feeds);

} // namespace feedz
