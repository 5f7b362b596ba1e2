// SPDX-License-Identifier: MIT
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace feed {

// The npm packages of one repository:
//   npm/NAME/packument.json   the document npm reads, tarball URLs relative to the registry
//   npm/NAME/-/FILE.tgz       the tarballs
// NAME is "name" or "@scope/name" (validated before it gets here). Readers need no lock;
// read-modify-write sequences hold lock() for their whole duration.
class NpmStore {
public:
    NpmStore(std::filesystem::path repo_dir, std::filesystem::path lock_file);

    std::optional<nlohmann::json> load_packument(const std::string& name) const;
    void save_packument(const std::string& name, const nlohmann::json& packument) const;

    std::optional<std::string> read_tarball(const std::string& name, const std::string& file) const;
    void
    write_tarball(const std::string& name, const std::string& file, const std::string& data) const;
    void remove_tarball(const std::string& name, const std::string& file) const;

    void remove_package(const std::string& name) const;

    std::filesystem::path lock_file() const { return m_lock_file; }

private:
    std::filesystem::path m_root;
    std::filesystem::path m_lock_file;
};

} // namespace feed
