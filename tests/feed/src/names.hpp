// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace feed {

// Organisation and repository names: [A-Za-z0-9][A-Za-z0-9._-]*, at most 64 characters, no "..".
bool is_valid_repo_name(std::string_view name);

// NuGet package ids: [A-Za-z0-9_][A-Za-z0-9_.-]*, at most 100 characters, no "..".
bool is_valid_nuget_id(std::string_view id);

// NuGet's normalised version (1.0 -> 1.0.0, 1.0.0.0 -> 1.0.0, build metadata dropped, lower case),
// or nullopt if it is not a version NuGet accepts.
std::optional<std::string> normalize_nuget_version(std::string_view version);

// npm names: "name" or "@scope/name", each part from [a-z0-9._~-] (upper case tolerated, as for old
// packages), not starting with '.' or '_', at most 214 characters in all.
bool is_valid_npm_name(std::string_view name);

// Semantic versions as npm publishes them: MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD].
bool is_valid_semver(std::string_view version);

// Semantic version precedence (build metadata ignored); both must be valid semver.
bool semver_less(std::string_view a, std::string_view b);

// npm dist-tags: [A-Za-z0-9._-]+ and not a version.
bool is_valid_dist_tag(std::string_view tag);

std::string to_lower(std::string_view text);

} // namespace feed
