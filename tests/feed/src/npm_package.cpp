// SPDX-License-Identifier: MIT
#include "npm_package.hpp"

#include "error.hpp"
#include "names.hpp"
#include "tarball.hpp"

namespace feed {

namespace {

constexpr std::size_t k_max_unpacked_size = 64 * 1024 * 1024;

} // namespace

nlohmann::json read_npm_manifest(std::string_view tgz) {
    auto text = tgz_read_file(tgz, "package/package.json", k_max_unpacked_size);
    if (!text) {
        throw FeedError("invalid tarball: no package/package.json");
    }
    nlohmann::json manifest;
    try {
        manifest = nlohmann::json::parse(*text);
    } catch (const nlohmann::json::exception&) {
        throw FeedError("invalid tarball: package/package.json is not valid JSON");
    }
    if (!manifest.is_object() || !manifest.contains("name") || !manifest["name"].is_string()
        || !manifest.contains("version") || !manifest["version"].is_string()) {
        throw FeedError("invalid tarball: package.json needs a name and a version");
    }
    if (!is_valid_npm_name(manifest["name"].get<std::string>())) {
        throw FeedError("invalid tarball: bad package name");
    }
    if (!is_valid_semver(manifest["version"].get<std::string>())) {
        throw FeedError("invalid tarball: bad version");
    }
    return manifest;
}

std::string make_npm_tarball(const std::string& name, const std::string& version) {
    nlohmann::json manifest = {
        {"name", name},
        {"version", version},
        {"description", "A test package made by feedz-test-feed"},
        {"main", "index.js"},
        {"license", "MIT"},
    };
    nlohmann::json id = name + "@" + version;
    return tgz_create({
        {"package/package.json", manifest.dump(2) + "\n"},
        {"package/index.js", "module.exports = " + id.dump() + ";\n"},
    });
}

} // namespace feed
