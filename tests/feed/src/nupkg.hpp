// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace feed {

struct NupkgInfo {
    std::string id;      // as written in the .nuspec
    std::string version; // normalised (see normalize_nuget_version)
    std::string nuspec;  // the .nuspec file itself
};

// Reads the .nuspec at the root of a .nupkg and validates its id and version; throws FeedError
// with a short reason if the package is not acceptable.
NupkgInfo read_nupkg(std::string_view package);

// A minimal package restore accepts: a .nuspec, [Content_Types].xml and an empty
// lib/netstandard2.0/_._ (NuGet's "compatible, but nothing to reference" marker).
// With a nuspec, that text is used verbatim as ID.nuspec (packages with dependencies, or
// deliberately broken ones for tests).
std::string make_nupkg(const std::string& id,
                       const std::string& version,
                       const std::optional<std::string>& nuspec = std::nullopt);

} // namespace feed
