// SPDX-License-Identifier: MIT
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace feed {

// package/package.json from an npm tarball, checked to have a valid name and version; throws
// FeedError with a short reason otherwise.
nlohmann::json read_npm_manifest(std::string_view tgz);

// A minimal npm tarball: package/package.json and package/index.js.
std::string make_npm_tarball(const std::string& name, const std::string& version);

} // namespace feed
