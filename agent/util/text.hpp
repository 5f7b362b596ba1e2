// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

namespace feedz {

// ASCII lower case: URLs' schemes and hosts, NuGet's element and key names.
std::string to_lower(std::string_view text);

// ASCII case-insensitive equality.
bool iequals(std::string_view a, std::string_view b);

} // namespace feedz
