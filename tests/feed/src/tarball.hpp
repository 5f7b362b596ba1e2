// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace feed {

// Just enough of gzip'ed ustar for npm package tarballs.

// The content of the regular file `name` in a .tgz, nullopt if absent; throws FeedError if the
// data is not a gzip'ed tar archive or unpacks to more than max_size bytes.
std::optional<std::string>
tgz_read_file(std::string_view tgz, std::string_view name, std::size_t max_size);

// A .tgz of the given (name, content) regular files.
std::string tgz_create(const std::vector<std::pair<std::string, std::string>>& files);

} // namespace feed
