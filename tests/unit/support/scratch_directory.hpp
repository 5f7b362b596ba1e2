// SPDX-License-Identifier: MIT
#pragma once

#include <agent/util/file.hpp>

#include <catch2/catch.hpp>

#include <stdlib.h>
#include <sys/types.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

// The content of `path`, which the test requires to exist.
inline std::string read_existing_file(const std::string& path) {
    auto content = feedz::read_file(path);
    REQUIRE(content);
    REQUIRE(content->has_value());
    return **content;
}

// A fresh directory under $TMPDIR (or /tmp) for one test, removed with everything in it.
class ScratchDirectory {
public:
    ScratchDirectory() {
        const char* tmpdir = ::getenv("TMPDIR");
        std::string pattern = std::string(tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp")
                              + "/feedz-unit-XXXXXX";
        std::vector<char> name(pattern.begin(), pattern.end());
        name.push_back('\0');
        REQUIRE(::mkdtemp(name.data()) != nullptr);
        m_path = name.data();
    }

    ScratchDirectory(const ScratchDirectory&) = delete;
    ScratchDirectory& operator=(const ScratchDirectory&) = delete;

    ~ScratchDirectory() {
        std::error_code ignored;
        std::filesystem::remove_all(m_path, ignored);
    }

    const std::string& path() const { return m_path; }

    std::string path(const std::string& name) const { return m_path + "/" + name; }

    // Writes `content` to the file `name` (its directories created), with `mode`; its path.
    std::string
    file(const std::string& name, const std::string& content, mode_t mode = 0644) const {
        std::string file_path = path(name);
        REQUIRE(feedz::make_directories(feedz::parent_directory(file_path), 0755));
        REQUIRE(feedz::write_file_atomically(file_path, content, mode));
        return file_path;
    }

    // Creates the directory `name` (and its parents); its path.
    std::string directory(const std::string& name) const {
        std::string directory_path = path(name);
        REQUIRE(feedz::make_directories(directory_path, 0755));
        return directory_path;
    }

    // The names in the directory `sub` (relative to the scratch directory), sorted.
    std::vector<std::string> entries(const std::string& sub = "") const {
        std::vector<std::string> names;
        for (const auto& entry :
             std::filesystem::directory_iterator(sub.empty() ? m_path : path(sub))) {
            names.push_back(entry.path().filename().string());
        }
        std::sort(names.begin(), names.end());
        return names;
    }

private:
    std::string m_path;
};
