// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace feed {

// Just enough of the zip format for .nupkg files.

// Names of the entries in the central directory; throws FeedError if this is not a zip archive.
std::vector<std::string> zip_entry_names(std::string_view archive);

// The uncompressed content of one entry (stored or deflated), nullopt if there is no such entry;
// throws FeedError on a corrupt archive or an entry larger than max_size.
std::optional<std::string>
zip_read_entry(std::string_view archive, std::string_view name, std::size_t max_size);

// A zip archive of the given (name, content) entries, stored uncompressed.
std::string zip_create(const std::vector<std::pair<std::string, std::string>>& entries);

} // namespace feed
