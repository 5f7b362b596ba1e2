// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace feed {

// The path of a request URI split at '/' and each segment percent-decoded on its own, so that
// npm's "@scope%2fname" stays one segment "@scope/name" while "@scope/name" is two.
// nullopt for a path that must be refused: bad percent-encoding, control characters, a
// backslash, an empty inner segment, or a "." or ".." segment (also when written %2e%2e).
// A trailing slash is dropped; "/" gives no segments.
std::optional<std::vector<std::string>> split_request_path(std::string_view path);

// The path part of a request URI (everything before '?' or '#').
std::string_view path_of(std::string_view uri);

} // namespace feed
