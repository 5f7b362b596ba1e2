// SPDX-License-Identifier: MIT
#include "nuget_sources.hpp"

#include <agent/nuget/xml_document.hpp>
#include <agent/util/file.hpp>
#include <agent/util/text.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace feedz {

namespace {

namespace fs = std::filesystem;

bool is_file(const fs::path& path) {
    std::error_code error;
    return fs::is_regular_file(path, error);
}

void add_once(std::vector<std::string>& files, const fs::path& path) {
    std::string text = path.lexically_normal().string();
    if (std::find(files.begin(), files.end(), text) == files.end()) {
        files.push_back(std::move(text));
    }
}

// The *.config and *.Config files of `directory`, sorted by name.
std::vector<std::string> config_files_in(const fs::path& directory) {
    std::vector<std::string> found;
    std::error_code error;
    fs::directory_iterator entries(directory, error);
    for (; !error && entries != fs::directory_iterator(); entries.increment(error)) {
        auto extension = entries->path().extension();
        if ((extension == ".config" || extension == ".Config") && is_file(entries->path())) {
            found.push_back(entries->path().string());
        }
    }
    std::sort(found.begin(), found.end());
    return found;
}

// Where no project keeps its own config: version control, npm's dependencies, build output.
bool skipped_directory(const std::string& name) {
    return name == ".git" || name == "node_modules" || iequals(name, "bin") || iequals(name, "obj");
}

} // namespace

std::vector<std::string> nuget_config_files(const std::string& directory,
                                            const std::string& home,
                                            const std::vector<std::string>& config_files) {
    std::vector<std::string> files;
    if (!config_files.empty()) {
        for (const auto& file : config_files) {
            if (is_file(file)) {
                add_once(files, file);
            }
        }
        return files;
    }
    fs::path current = fs::path(directory).lexically_normal();
    if (!current.has_filename() && current.has_relative_path()) {
        current = current.parent_path(); // "app/" is "app"
    }
    while (true) {
        for (const char* name : {"nuget.config", "NuGet.config", "NuGet.Config"}) {
            if (is_file(current / name)) {
                add_once(files, current / name);
                break;
            }
        }
        if (!current.has_relative_path()) {
            break;
        }
        current = current.parent_path();
    }
    if (!home.empty()) {
        if (fs::path user = fs::path(home) / ".nuget/NuGet/NuGet.Config"; is_file(user)) {
            add_once(files, user);
        }
        for (const auto& file : config_files_in(fs::path(home) / ".nuget/NuGet/config")) {
            add_once(files, file);
        }
    }
    const char* common = std::getenv("NUGET_COMMON_APPLICATION_DATA");
    fs::path machine = common != nullptr && *common != '\0' ? fs::path(common) / "NuGet/Config"
                                                            : fs::path("/etc/opt/NuGet/Config");
    for (const auto& file : config_files_in(machine)) {
        add_once(files, file);
    }
    return files;
}

std::optional<std::vector<std::string>> nuget_configs_below(const std::string& directory,
                                                            std::size_t max_entries) {
    std::vector<std::string> found;
    std::error_code error;
    // A directory we may not read holds nothing NuGet, running as us, could read either.
    fs::recursive_directory_iterator entries(
        directory, fs::directory_options::skip_permission_denied, error);
    std::size_t seen = 0;
    for (; !error && entries != fs::recursive_directory_iterator(); entries.increment(error)) {
        if (++seen > max_entries) {
            return std::nullopt;
        }
        std::string name = entries->path().filename().string();
        std::error_code type_error;
        if (entries->is_directory(type_error) && !entries->is_symlink(type_error)) {
            if (skipped_directory(name)) {
                entries.disable_recursion_pending();
            }
        } else if (iequals(name, "nuget.config") && entries->is_regular_file(type_error)) {
            found.push_back(entries->path().lexically_normal().string());
        }
    }
    if (error) {
        return std::nullopt; // the walk stopped early: what it found is not all there is
    }
    std::sort(found.begin(), found.end());
    return found;
}

Result<NuGetSourceDefinitions> nuget_source_definitions(const std::vector<std::string>& files) {
    NuGetSourceDefinitions definitions;
    for (const auto& file : files) {
        auto text = read_file(file);
        if (!text) {
            return text.error();
        }
        if (!*text) {
            continue; // gone since it was listed
        }
        auto document = XmlDocument::parse(std::move(**text), file);
        if (!document) {
            return document.error();
        }
        for (const auto& element : document->elements()) {
            if (element.parent == XmlDocument::k_none) {
                continue;
            }
            const auto& section = document->element(element.parent).name;
            auto key = element.attribute_ignoring_case("key");
            if (!key) {
                continue;
            }
            if (iequals(section, "packageSources")) {
                definitions.sources.push_back(
                    {*key,
                     element.attribute_ignoring_case("value").value_or(""),
                     file,
                     document->line_of(element.begin)});
            } else if (iequals(section, "disabledPackageSources")
                       && iequals(element.attribute_ignoring_case("value").value_or(""), "true")) {
                definitions.disabled.push_back(*key);
            }
        }
    }
    return definitions;
}

} // namespace feedz
