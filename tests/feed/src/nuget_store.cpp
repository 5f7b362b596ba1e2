// SPDX-License-Identifier: MIT
#include "nuget_store.hpp"

#include "files.hpp"
#include "names.hpp"

#include <algorithm>
#include <utility>

namespace feed {

namespace {

struct VersionKey {
    std::vector<long> numbers;
    std::string release;
};

VersionKey version_key(const std::string& version) {
    VersionKey key;
    auto dash = version.find('-');
    auto core = version.substr(0, dash);
    key.release = dash == std::string::npos ? "" : version.substr(dash + 1);
    std::size_t start = 0;
    while (start <= core.size()) {
        auto dot = core.find('.', start);
        auto part = core.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        key.numbers.push_back(part.empty() ? 0 : std::stol(part));
        if (dot == std::string::npos) {
            break;
        }
        start = dot + 1;
    }
    key.numbers.resize(4, 0);
    return key;
}

} // namespace

bool nuget_version_less(const std::string& a, const std::string& b) {
    auto ka = version_key(a);
    auto kb = version_key(b);
    if (ka.numbers != kb.numbers) {
        return ka.numbers < kb.numbers;
    }
    if (ka.release.empty() != kb.release.empty()) {
        return !ka.release.empty();
    }
    return ka.release < kb.release;
}

NugetStore::NugetStore(std::filesystem::path repo_dir, std::filesystem::path lock_file)
    : m_root(std::move(repo_dir) / "nuget")
    , m_lock_file(std::move(lock_file)) {}

std::filesystem::path NugetStore::version_dir(const std::string& id,
                                              const std::string& version) const {
    return m_root / to_lower(id) / to_lower(version);
}

std::vector<std::string> NugetStore::versions(const std::string& id) const {
    std::vector<std::string> found;
    std::error_code ec;
    auto lower = to_lower(id);
    for (const auto& entry : std::filesystem::directory_iterator(m_root / lower, ec)) {
        auto version = entry.path().filename().string();
        if (std::filesystem::exists(entry.path() / (lower + "." + version + ".nupkg"))) {
            found.push_back(version);
        }
    }
    std::sort(found.begin(), found.end(), nuget_version_less);
    return found;
}

std::optional<std::string> NugetStore::read_nupkg(const std::string& id,
                                                  const std::string& version) const {
    auto lower = to_lower(id);
    return read_file(version_dir(id, version) / (lower + "." + to_lower(version) + ".nupkg"));
}

std::optional<std::string> NugetStore::read_nuspec(const std::string& id,
                                                   const std::string& version) const {
    return read_file(version_dir(id, version) / (to_lower(id) + ".nuspec"));
}

bool NugetStore::add(const NupkgInfo& info, const std::string& package) const {
    FileLock lock(m_lock_file);
    auto dir = version_dir(info.id, info.version);
    auto lower = to_lower(info.id);
    auto nupkg = dir / (lower + "." + info.version + ".nupkg");
    if (std::filesystem::exists(nupkg)) {
        return false;
    }
    write_file_atomic(dir / (lower + ".nuspec"), info.nuspec);
    write_file_atomic(nupkg, package);
    return true;
}

bool NugetStore::remove(const std::string& id, const std::string& version) const {
    FileLock lock(m_lock_file);
    auto dir = version_dir(id, version);
    if (!std::filesystem::exists(dir)) {
        return false;
    }
    std::filesystem::remove_all(dir);
    return true;
}

} // namespace feed
