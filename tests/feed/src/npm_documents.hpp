// SPDX-License-Identifier: MIT
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace feed {

// The registry's side of npm's document protocol, as pure functions over JSON. They throw
// HttpError (400 bad document, 404 no such package, 409 version exists) and change nothing then.

struct NpmTarball {
    std::string file;
    std::string data;
};

struct NpmChange {
    nlohmann::json packument;          // the new stored packument (null when removing all)
    std::vector<NpmTarball> tarballs;  // to write
    std::vector<std::string> obsolete; // tarball files to remove
};

// "name-1.0.0.tgz" for "name" or "@scope/name": the registry's file name for a version.
std::string npm_tarball_file(const std::string& name, const std::string& version);

// PUT /NAME carrying _attachments (npm publish): adds the new versions, their tarballs and
// dist-tags. Every attachment is decoded and checked against its package.json, length, shasum
// and integrity. A version that exists already is 409.
NpmChange npm_publish(const nlohmann::json& body,
                      const std::string& name,
                      const std::optional<nlohmann::json>& existing,
                      const std::string& now);

// PUT /NAME without attachments (npm deprecate): copies each existing version's "deprecated".
NpmChange npm_update_metadata(const nlohmann::json& body,
                              const std::string& name,
                              const std::optional<nlohmann::json>& existing,
                              const std::string& now);

// PUT /NAME/-rev/REV (npm unpublish NAME@VERSION): drops the versions missing from the body.
NpmChange npm_remove_versions(const nlohmann::json& body,
                              const std::string& name,
                              const std::optional<nlohmann::json>& existing,
                              const std::string& now);

// The packument as clients see it: tarball URLs made absolute under registry_url.
nlohmann::json npm_packument_for_client(const nlohmann::json& stored,
                                        const std::string& registry_url);

// "VERSION" or a dist-tag to the version's manifest, nullopt if neither.
std::optional<nlohmann::json> npm_find_version(const nlohmann::json& stored,
                                               const std::string& version_or_tag,
                                               const std::string& registry_url);

} // namespace feed
