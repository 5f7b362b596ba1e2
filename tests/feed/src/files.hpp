// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace feed {

// The whole file, or nullopt if it does not exist; other failures throw FeedError.
std::optional<std::string> read_file(const std::filesystem::path& path);

// Write to a temporary file in the same directory, fsync, rename: readers see the old or the new
// content, never a mix. Parent directories are created.
void write_file_atomic(const std::filesystem::path& path, std::string_view data);

// An exclusive flock(2) on a file, held for the object's lifetime. It serialises writers across
// processes (the server and the admin commands).
class FileLock {
public:
    explicit FileLock(const std::filesystem::path& path);
    ~FileLock();
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

private:
    int m_fd;
};

} // namespace feed
