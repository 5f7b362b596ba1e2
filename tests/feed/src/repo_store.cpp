// SPDX-License-Identifier: MIT
#include "repo_store.hpp"

#include "error.hpp"
#include "files.hpp"

#include <nlohmann/json.hpp>

#include <utility>

namespace feed {

RepoStore::RepoStore(std::filesystem::path file)
    : m_file(std::move(file)) {}

std::vector<Repo> RepoStore::load() const {
    auto text = read_file(m_file);
    if (!text) {
        return {};
    }
    try {
        std::vector<Repo> repos;
        auto document = nlohmann::json::parse(*text);
        for (const auto& item : document.at("repositories")) {
            repos.push_back(Repo{item.at("org").get<std::string>(),
                                 item.at("repo").get<std::string>(),
                                 item.at("public").get<bool>()});
        }
        return repos;
    } catch (const nlohmann::json::exception& e) {
        throw FeedError(m_file.string() + " is corrupt: " + e.what());
    }
}

void RepoStore::save(const std::vector<Repo>& repos) const {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& repo : repos) {
        items.push_back({{"org", repo.org}, {"repo", repo.name}, {"public", repo.is_public}});
    }
    write_file_atomic(m_file, nlohmann::json{{"repositories", items}}.dump(2) + "\n");
}

std::optional<Repo> RepoStore::find(const std::string& org, const std::string& name) const {
    for (auto& repo : load()) {
        if (repo.org == org && repo.name == name) {
            return repo;
        }
    }
    return std::nullopt;
}

} // namespace feed
