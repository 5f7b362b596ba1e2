// SPDX-License-Identifier: MIT
#include "data_dir.hpp"

#include <utility>

namespace feed {

DataDir::DataDir(std::filesystem::path root)
    : m_root(std::move(root)) {}

std::filesystem::path DataDir::repo_dir(const std::string& org, const std::string& repo) const {
    return m_root / "repos" / org / repo;
}

} // namespace feed
