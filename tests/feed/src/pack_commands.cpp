// SPDX-License-Identifier: MIT
#include "pack_commands.hpp"

#include "error.hpp"
#include "files.hpp"
#include "names.hpp"
#include "npm_package.hpp"
#include "nupkg.hpp"

#include <filesystem>
#include <iostream>

namespace feed {

int pack_nupkg(Arguments& args) {
    args.accept_only({"--nuspec"});
    auto nuspec_file = args.option("--nuspec");
    auto rest = args.positionals(3, "pack nupkg ID VERSION OUTDIR [--nuspec FILE]");
    std::optional<std::string> nuspec;
    if (nuspec_file) {
        nuspec = read_file(*nuspec_file);
        if (!nuspec) {
            throw FeedError("no such file: " + *nuspec_file);
        }
    }
    const auto& id = rest[0];
    const auto& version = rest[1];
    if (!is_valid_nuget_id(id)) {
        throw UsageError("invalid NuGet package id \"" + id + "\"");
    }
    if (!normalize_nuget_version(version)) {
        throw UsageError("invalid NuGet version \"" + version + "\"");
    }
    auto path = std::filesystem::path(rest[2]) / (id + "." + version + ".nupkg");
    write_file_atomic(path, make_nupkg(id, version, nuspec));
    std::cout << path.string() << "\n";
    return 0;
}

int pack_npm(Arguments& args) {
    args.accept_only({});
    auto rest = args.positionals(3, "pack npm NAME VERSION OUTDIR");
    const auto& name = rest[0];
    const auto& version = rest[1];
    if (!is_valid_npm_name(name)) {
        throw UsageError("invalid npm package name \"" + name + "\"");
    }
    if (!is_valid_semver(version)) {
        throw UsageError("invalid npm version \"" + version + "\"");
    }
    std::string file = name.front() == '@' ? name.substr(1) : name;
    for (auto& c : file) {
        c = c == '/' ? '-' : c;
    }
    auto path = std::filesystem::path(rest[2]) / (file + "-" + version + ".tgz");
    write_file_atomic(path, make_npm_tarball(name, version));
    std::cout << path.string() << "\n";
    return 0;
}

} // namespace feed
