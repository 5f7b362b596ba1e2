// SPDX-License-Identifier: MIT
#include "selection.hpp"

#include <agent/core/feed.hpp>

#include <tuple>

namespace feedz {

namespace {

// Lower is preferred. An unknown level may be anything, so a token known to be just enough
// goes first.
int access_rank(Access access) {
    switch (access) {
    case Access::read:
        return 0;
    case Access::read_write:
        return 1;
    case Access::full:
        return 2;
    case Access::unknown:
        return 3;
    }
    return 3;
}

// Length of the longest scope of `token` that covers `url`, or nullopt.
std::optional<std::size_t> covering_scope_length(const TokenInfo& token, std::string_view url) {
    std::optional<std::size_t> longest;
    for (const auto& scope : token.scopes) {
        if (scope_covers(scope, url) && (!longest || scope.size() > *longest)) {
            longest = scope.size();
        }
    }
    return longest;
}

} // namespace

Selection select_token(std::span<const TokenInfo> tokens,
                       std::string_view url,
                       Operation operation,
                       Date today) {
    Selection selection;
    // (scope length desc, rank asc, created desc, name asc) as a tuple that sorts ascending.
    using Key = std::tuple<std::ptrdiff_t, int, std::int64_t, std::string_view>;
    std::optional<Key> best;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const TokenInfo& token = tokens[i];
        auto scope_length = covering_scope_length(token, url);
        if (!scope_length) {
            continue;
        }
        switch (token_state(token, today)) {
        case TokenState::disabled:
            selection.rejected.push_back({i, Rejection::disabled});
            continue;
        case TokenState::expired:
            selection.rejected.push_back({i, Rejection::expired});
            continue;
        case TokenState::active:
            break;
        }
        if (!access_allows(token.access, operation)) {
            selection.rejected.push_back({i, Rejection::insufficient_access});
            continue;
        }
        Key key{-static_cast<std::ptrdiff_t>(*scope_length),
                access_rank(token.access),
                -token.created.time_since_epoch().count(),
                token.name};
        if (!best || key < *best) {
            best = key;
            selection.chosen = i;
        }
    }
    return selection;
}

} // namespace feedz
