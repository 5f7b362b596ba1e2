// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string_view>

namespace feed {

// The three access levels of a Feedz personal access token.
enum class AccessLevel { read, read_write, full };

// What a request wants to do; each needs a minimum access level.
enum class Operation { read, write, remove };

// "read", "read-write" or "full" (the command-line and file spelling).
std::optional<AccessLevel> parse_access_level(std::string_view text);
std::string_view to_string(AccessLevel level);

// "Read", "Read/Write" or "Full" (the spelling Feedz shows users).
std::string_view display_name(AccessLevel level);

AccessLevel required_level(Operation operation);
bool allows(AccessLevel level, Operation operation);

// "publish" or "delete": the verb a 403 message names.
std::string_view verb(Operation operation);

} // namespace feed
