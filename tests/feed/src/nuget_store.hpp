// SPDX-License-Identifier: MIT
#pragma once

#include "nupkg.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace feed {

// The NuGet packages of one repository, laid out like a flat container:
//   nuget/ID/VERSION/ID.VERSION.nupkg and nuget/ID/VERSION/ID.nuspec (ID and VERSION lower case).
// Readers need no lock (files appear by atomic rename); writers take the data dir lock.
class NugetStore {
public:
    NugetStore(std::filesystem::path repo_dir, std::filesystem::path lock_file);

    // Normalised versions of a package id (any case), oldest first; empty if unknown.
    std::vector<std::string> versions(const std::string& id) const;

    std::optional<std::string> read_nupkg(const std::string& id, const std::string& version) const;
    std::optional<std::string> read_nuspec(const std::string& id, const std::string& version) const;

    // false if that id and version already exist (nothing is changed then).
    bool add(const NupkgInfo& info, const std::string& package) const;

    // false if there was no such package version.
    bool remove(const std::string& id, const std::string& version) const;

private:
    std::filesystem::path version_dir(const std::string& id, const std::string& version) const;

    std::filesystem::path m_root;
    std::filesystem::path m_lock_file;
};

// Orders NuGet versions: numerically, and a pre-release before its release.
bool nuget_version_less(const std::string& a, const std::string& b);

} // namespace feed
