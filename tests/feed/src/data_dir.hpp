// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <string>

namespace feed {

// Where the feed keeps its state; everything survives a restart.
//   tokens.json   token records (hash, prefix, name, level, expiry, active, created)
//   repos.json    repositories and whether they are public
//   requests.log  one JSON line per request
//   lock          flock(2) target that serialises writers
//   repos/ORG/REPO/nuget/ID/VERSION/…  and  repos/ORG/REPO/npm/NAME/…  packages
class DataDir {
public:
    explicit DataDir(std::filesystem::path root);

    const std::filesystem::path& root() const { return m_root; }

    std::filesystem::path tokens_file() const { return m_root / "tokens.json"; }

    std::filesystem::path repos_file() const { return m_root / "repos.json"; }

    std::filesystem::path request_log() const { return m_root / "requests.log"; }

    std::filesystem::path lock_file() const { return m_root / "lock"; }

    std::filesystem::path repo_dir(const std::string& org, const std::string& repo) const;

private:
    std::filesystem::path m_root;
};

} // namespace feed
