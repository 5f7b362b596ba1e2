// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace feed {

struct Repo {
    std::string org;
    std::string name;
    bool is_public = false;
};

// repos.json. Reads need no lock; writers hold the data dir lock.
class RepoStore {
public:
    explicit RepoStore(std::filesystem::path file);

    std::vector<Repo> load() const;
    void save(const std::vector<Repo>& repos) const;

    std::optional<Repo> find(const std::string& org, const std::string& name) const;

private:
    std::filesystem::path m_file;
};

} // namespace feed
