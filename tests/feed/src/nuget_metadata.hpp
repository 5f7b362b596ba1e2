// SPDX-License-Identifier: MIT
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace feed {

// What the registration (package metadata) documents say about one package version, read from
// its .nuspec.
struct NuspecMetadata {
    std::string id;
    std::string version;
    std::string description;
    std::string authors;
    nlohmann::json dependency_groups = nlohmann::json::array();
};

// Throws FeedError if the .nuspec is not well-formed.
NuspecMetadata parse_nuspec_metadata(const std::string& nuspec);

// The registration index of one package (RegistrationsBaseUrl/3.6.0): one inlined page with
// every version, oldest first. nuget_url is "https://HOST/ORG/REPO/nuget/"; versions are
// normalised and must not be empty.
nlohmann::json nuget_registration_index(const std::string& nuget_url,
                                        const std::vector<NuspecMetadata>& versions);

// The registration leaf of one version.
nlohmann::json nuget_registration_leaf(const std::string& nuget_url, const NuspecMetadata& version);

} // namespace feed
