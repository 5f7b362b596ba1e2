// SPDX-License-Identifier: MIT
// ARCHITECTURE.md's table of which folder may use which, held against every #include.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

// Folder (relative to the source tree) -> the folders its files may include from agent/ and
// helpers/. Each folder may always include itself.
const std::map<std::string, std::set<std::string>> k_may_use = {
    {"agent/util", {}},
    {"agent/core", {"agent/util"}},
    {"agent/store", {"agent/util", "agent/core"}},
    {"agent/ipc", {"agent/util", "agent/core"}},
    {"agent/server", {"agent/util", "agent/core", "agent/store", "agent/ipc"}},
    {"agent/net", {"agent/util", "agent/core", "agent/ipc"}},
    {"agent/https", {"agent/util", "agent/core", "agent/ipc", "agent/net"}},
    {"agent/config", {"agent/util", "agent/core"}},
    {"agent/npm", {"agent/util", "agent/core", "agent/config", "agent/net", "agent/ipc"}},
    {"agent/nuget", {"agent/util", "agent/core", "agent/config", "agent/ipc"}},
    {"agent/cli",
     {"agent/util",
      "agent/core",
      "agent/store",
      "agent/ipc",
      "agent/net",
      "agent/config",
      "agent/npm",
      "agent/nuget"}},
    {"helpers/nuget", {"agent/util", "agent/core", "agent/ipc"}},
    // The programs' main()s: each reaches its own part only.
    {"agent/main.cpp", {"agent/cli"}},
    {"agent/daemon_main.cpp", {"agent/server"}},
    {"agent/https_main.cpp", {"agent/https"}},
};

// Outside libraries a folder may include (by the include's first path segment), beyond the
// C and C++ standard libraries, POSIX and nlohmann/json, which every folder may use.
const std::map<std::string, std::set<std::string>> k_outside = {
    {"Poco", {"agent/https"}},
    {"libsecret", {"agent/store"}},
    {"glib", {"agent/store"}},
    {"gio", {"agent/store"}},
    {"openssl", {"agent/https", "agent/server", "agent/npm"}},
};

// The folder rules apply to: a file's directory, or the file itself for the main()s.
std::string owner_of(const std::string& relative) {
    if (k_may_use.count(relative) != 0) {
        return relative;
    }
    return fs::path(relative).parent_path().string();
}

struct Include {
    std::string target; // the path inside <...> or "..."
    bool angled;
};

std::vector<Include> includes_of(const fs::path& file) {
    std::vector<Include> result;
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
        auto start = line.find_first_not_of(" \t");
        if (start == std::string::npos || line.compare(start, 8, "#include") != 0) {
            continue;
        }
        auto open = line.find_first_of("<\"", start + 8);
        if (open == std::string::npos) {
            continue;
        }
        char close = line[open] == '<' ? '>' : '"';
        auto end = line.find(close, open + 1);
        if (end != std::string::npos) {
            result.push_back({line.substr(open + 1, end - open - 1), line[open] == '<'});
        }
    }
    return result;
}

// The folder of ours an include names: "agent/npm" for <agent/npm/npmrc.hpp>, the including
// file's own folder for "npmrc.hpp"; empty for anything outside our tree.
std::string folder_named(const Include& include, const std::string& owner) {
    if (!include.angled) {
        return owner;
    }
    for (const auto& [folder, _] : k_may_use) {
        if (include.target.rfind(folder + "/", 0) == 0) {
            return folder;
        }
    }
    return {};
}

std::vector<std::string> violations() {
    const fs::path top = FEEDZ_SOURCE_DIR;
    std::vector<std::string> found;
    for (const char* root : {"agent", "helpers"}) {
        for (const auto& entry : fs::recursive_directory_iterator(top / root)) {
            auto extension = entry.path().extension();
            if (!entry.is_regular_file() || (extension != ".cpp" && extension != ".hpp")) {
                continue;
            }
            std::string relative = fs::relative(entry.path(), top).string();
            std::string owner = owner_of(relative);
            auto rules = k_may_use.find(owner);
            if (rules == k_may_use.end()) {
                found.push_back(relative + ": its folder " + owner
                                + " is not in ARCHITECTURE.md's table");
                continue;
            }
            for (const auto& include : includes_of(entry.path())) {
                std::string folder = folder_named(include, owner);
                if (!folder.empty()) {
                    if (folder != owner && rules->second.count(folder) == 0) {
                        found.push_back(relative + " includes " + include.target + " (" + owner
                                        + " may not use " + folder + ")");
                    }
                    continue;
                }
                std::string first = include.target.substr(0, include.target.find('/'));
                auto outside = k_outside.find(first);
                if (outside != k_outside.end() && outside->second.count(owner) == 0) {
                    found.push_back(relative + " includes " + include.target + " (only "
                                    + "the folders ARCHITECTURE.md names may use " + first + ")");
                }
            }
        }
    }
    return found;
}

} // namespace

TEST_CASE("Layering: every #include keeps to ARCHITECTURE.md's table", "[layering]") {
    auto found = violations();
    for (const auto& violation : found) {
        UNSCOPED_INFO(violation);
    }
    CHECK(found.empty());
}

TEST_CASE("Layering: the check sees our includes", "[layering]") {
    // A checker that read nothing would pass everything: make sure it reads real files.
    auto includes = includes_of(fs::path(FEEDZ_SOURCE_DIR) / "agent/server/serve.cpp");
    REQUIRE_FALSE(includes.empty());
    bool names_server = false;
    for (const auto& include : includes) {
        names_server = names_server || folder_named(include, "agent/server") == "agent/server";
    }
    CHECK(names_server);
    CHECK(folder_named({"agent/cli/common.hpp", true}, "agent/server") == "agent/cli");
    CHECK(k_may_use.at("agent/server").count("agent/cli") == 0);
}
