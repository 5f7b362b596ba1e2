// SPDX-License-Identifier: MIT
#include "names.hpp"
#include "request_path.hpp"

#include <catch2/catch.hpp>

using namespace feed;
using Segments = std::vector<std::string>;

TEST_CASE("request paths split per segment, each decoded on its own", "[path]") {
    CHECK(split_request_path("/") == Segments{});
    CHECK(split_request_path("/o/r/npm/@s%2fn") == Segments{"o", "r", "npm", "@s/n"});
    CHECK(split_request_path("/o/r/npm/@s%2Fn") == Segments{"o", "r", "npm", "@s/n"});
    CHECK(split_request_path("/o/r/npm/@s/n") == Segments{"o", "r", "npm", "@s", "n"});
    CHECK(split_request_path("/o/r/nuget/index.json/")
          == Segments{"o", "r", "nuget", "index.json"});
    CHECK(path_of("/a/b?x=1#f") == "/a/b");
}

TEST_CASE("dot segments, also encoded, and other tricks are refused", "[path]") {
    for (const char* path : {"/o/r/../x",
                             "/o/r/%2e%2e/x",
                             "/o/r/%2E%2E",
                             "/o/r/./x",
                             "/o/r/npm/@s%2f..",
                             "/o/r/npm/..%2fx",
                             "/o//r",
                             "/o/r/a%00b",
                             "/o/r/a%5cb",
                             "/o/r/a%zz",
                             "/o/r/a%2",
                             "relative"}) {
        INFO(path);
        CHECK_FALSE(split_request_path(path));
    }
}

TEST_CASE("repository, NuGet and npm names", "[names]") {
    CHECK(is_valid_repo_name("acme"));
    CHECK(is_valid_repo_name("my-repo.2"));
    CHECK_FALSE(is_valid_repo_name(".hidden"));
    CHECK_FALSE(is_valid_repo_name("a..b"));
    CHECK_FALSE(is_valid_repo_name("a/b"));
    CHECK_FALSE(is_valid_repo_name(""));

    CHECK(is_valid_nuget_id("Feedz.Test_Package-1"));
    CHECK_FALSE(is_valid_nuget_id("..evil"));
    CHECK_FALSE(is_valid_nuget_id("a/b"));
    CHECK_FALSE(is_valid_nuget_id("a..b"));

    CHECK(is_valid_npm_name("left-pad"));
    CHECK(is_valid_npm_name("@scope/name"));
    CHECK_FALSE(is_valid_npm_name("@scope"));
    CHECK_FALSE(is_valid_npm_name("@scope/.."));
    CHECK_FALSE(is_valid_npm_name(".."));
    CHECK_FALSE(is_valid_npm_name("_private"));
    CHECK_FALSE(is_valid_npm_name("a b"));
    CHECK_FALSE(is_valid_npm_name("@s/n/x"));
}

TEST_CASE("NuGet versions are normalised as NuGet does", "[names]") {
    CHECK(normalize_nuget_version("1.0") == "1.0.0");
    CHECK(normalize_nuget_version("1.0.0.0") == "1.0.0");
    CHECK(normalize_nuget_version("1.2.3.4") == "1.2.3.4");
    CHECK(normalize_nuget_version("01.002.3") == "1.2.3");
    CHECK(normalize_nuget_version("1.0.0-Beta.1+build.5") == "1.0.0-beta.1");
    CHECK_FALSE(normalize_nuget_version("1"));
    CHECK_FALSE(normalize_nuget_version(".."));
    CHECK_FALSE(normalize_nuget_version("1.0.0-"));
    CHECK_FALSE(normalize_nuget_version("1.0/../x"));
}

TEST_CASE("semantic versions and their order", "[names]") {
    CHECK(is_valid_semver("1.2.3"));
    CHECK(is_valid_semver("1.2.3-rc.1+b"));
    CHECK_FALSE(is_valid_semver("1.2"));
    CHECK_FALSE(is_valid_semver("01.2.3"));
    CHECK_FALSE(is_valid_semver("../1.2.3"));
    CHECK(semver_less("1.2.3", "1.10.0"));
    CHECK(semver_less("1.0.0-rc.1", "1.0.0"));
    CHECK(semver_less("1.0.0-alpha", "1.0.0-beta"));
    CHECK(semver_less("1.0.0-2", "1.0.0-10"));
    CHECK_FALSE(semver_less("2.0.0", "1.9.9"));
    CHECK(is_valid_dist_tag("next"));
    CHECK_FALSE(is_valid_dist_tag("1.0.0"));
    CHECK_FALSE(is_valid_dist_tag("a/b"));
}
