// SPDX-License-Identifier: MIT
#include "npm_store.hpp"

#include "error.hpp"
#include "files.hpp"

#include <utility>

namespace feed {

NpmStore::NpmStore(std::filesystem::path repo_dir, std::filesystem::path lock_file)
    : m_root(std::move(repo_dir) / "npm")
    , m_lock_file(std::move(lock_file)) {}

std::optional<nlohmann::json> NpmStore::load_packument(const std::string& name) const {
    auto path = m_root / name / "packument.json";
    auto text = read_file(path);
    if (!text) {
        return std::nullopt;
    }
    try {
        return nlohmann::json::parse(*text);
    } catch (const nlohmann::json::exception& e) {
        throw FeedError(path.string() + " is corrupt: " + e.what());
    }
}

void NpmStore::save_packument(const std::string& name, const nlohmann::json& packument) const {
    write_file_atomic(m_root / name / "packument.json", packument.dump(2) + "\n");
}

std::optional<std::string> NpmStore::read_tarball(const std::string& name,
                                                  const std::string& file) const {
    return read_file(m_root / name / "-" / file);
}

void NpmStore::write_tarball(const std::string& name,
                             const std::string& file,
                             const std::string& data) const {
    write_file_atomic(m_root / name / "-" / file, data);
}

void NpmStore::remove_tarball(const std::string& name, const std::string& file) const {
    std::filesystem::remove(m_root / name / "-" / file);
}

void NpmStore::remove_package(const std::string& name) const {
    std::filesystem::remove_all(m_root / name);
}

} // namespace feed
