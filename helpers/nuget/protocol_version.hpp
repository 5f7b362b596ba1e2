// SPDX-License-Identifier: MIT
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace feedz::nuget {

// The plugin protocol versions this plugin speaks (NuGet's ProtocolConstants): 2.0.0 is the
// first with source-agnostic authentication, which is all this plugin does.
inline constexpr std::string_view k_current_protocol_version = "2.0.0";
inline constexpr std::string_view k_minimum_protocol_version = "1.0.0";

// A SemVer 2.0 version as NuGet writes protocol versions ("2.0.0", "1.0.0-beta.1+build").
struct ProtocolVersion {
    std::uint64_t major = 0;
    std::uint64_t minor = 0;
    std::uint64_t patch = 0;
    std::string prerelease; // empty for a release, which sorts after its prereleases

    std::strong_ordering operator<=>(const ProtocolVersion& other) const;
    bool operator==(const ProtocolVersion& other) const = default;
};

// MAJOR.MINOR.PATCH with an optional -PRERELEASE and +BUILD (ignored); nullopt otherwise.
std::optional<ProtocolVersion> parse_protocol_version(std::string_view text);

// The answer to a Handshake request that offers [`their_minimum`, `their_version`]: the lower of
// their version and ours (as NuGet's SymmetricHandshake does), as the text to send; nullopt
// when the ranges do not overlap or a version is malformed (answer Error then).
std::optional<std::string> negotiate_protocol_version(std::string_view their_version,
                                                      std::string_view their_minimum);

} // namespace feedz::nuget
