// SPDX-License-Identifier: MIT
#include "nuget_sources.hpp"

#include <agent/config/nuget_config.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>

namespace feedz {

namespace {

bool is_regular_file(const std::string& path) {
    struct stat status {};

    return ::stat(path.c_str(), &status) == 0 && S_ISREG(status.st_mode);
}

// The *.config and *.Config files of `directory`, sorted by name.
std::vector<std::string> config_files_in(const std::string& directory) {
    std::vector<std::string> found;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
        auto path = entry.path();
        auto extension = path.extension();
        if ((extension == ".config" || extension == ".Config") && is_regular_file(path.string())) {
            found.push_back(path.string());
        }
    }
    std::sort(found.begin(), found.end());
    return found;
}

bool same_key(const std::string& a, const std::string& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x))
                      == std::tolower(static_cast<unsigned char>(y));
           });
}

} // namespace

std::vector<std::string> nuget_config_files(const std::string& directory,
                                            const std::string& home,
                                            const std::vector<std::string>& config_files) {
    std::vector<std::string> files;
    if (config_files.empty()) {
        std::filesystem::path current = std::filesystem::path(directory).lexically_normal();
        while (true) {
            for (const char* name : {"nuget.config", "NuGet.config", "NuGet.Config"}) {
                auto candidate = (current / name).string();
                if (is_regular_file(candidate)) {
                    files.push_back(candidate);
                    break;
                }
            }
            if (!current.has_relative_path()) {
                break;
            }
            current = current.parent_path();
        }
        if (!home.empty()) {
            auto user = home + "/.nuget/NuGet/NuGet.Config";
            if (is_regular_file(user)) {
                files.push_back(user);
            }
            auto more = config_files_in(home + "/.nuget/NuGet/config");
            files.insert(files.end(), more.begin(), more.end());
        }
    } else {
        for (const auto& file : config_files) {
            if (is_regular_file(file)) {
                files.push_back(file);
            }
        }
        return files;
    }
    const char* common = std::getenv("NUGET_COMMON_APPLICATION_DATA");
    std::string machine = common != nullptr && *common != '\0'
                              ? std::string(common) + "/NuGet/Config"
                              : std::string("/etc/opt/NuGet/Config");
    auto machine_files = config_files_in(machine);
    files.insert(files.end(), machine_files.begin(), machine_files.end());
    return files;
}

Result<std::vector<NuGetSource>> merged_nuget_sources(const std::vector<std::string>& files) {
    std::vector<NuGetConfig> configs;
    for (const auto& file : files) {
        auto config = NuGetConfig::load(file);
        if (!config) {
            return config.error();
        }
        configs.push_back(std::move(*config));
    }
    std::vector<NuGetSource> sources;
    for (const auto& config : configs) {
        for (const auto& source : config.sources()) {
            if (std::none_of(sources.begin(), sources.end(), [&](const NuGetSource& s) {
                    return same_key(s.key, source.key);
                })) {
                sources.push_back({source.key, source.url, config.path()});
            }
        }
        if (config.clears_sources()) {
            break;
        }
    }
    // <disabledPackageSources> in any of the files switches a source off.
    std::erase_if(sources, [&](const NuGetSource& source) {
        return std::any_of(configs.begin(), configs.end(), [&](const NuGetConfig& config) {
            return config.is_disabled(source.key);
        });
    });
    return sources;
}

} // namespace feedz
