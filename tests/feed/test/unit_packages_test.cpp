// SPDX-License-Identifier: MIT
#include "error.hpp"
#include "npm_package.hpp"
#include "nuget_api.hpp"
#include "nuget_store.hpp"
#include "nupkg.hpp"
#include "tarball.hpp"
#include "zip.hpp"

#include <catch2/catch.hpp>

using namespace feed;

TEST_CASE("a made .nupkg reads back with its id and normalised version", "[nupkg]") {
    auto package = make_nupkg("Feedz.Test", "1.0");
    auto info = read_nupkg(package);
    CHECK(info.id == "Feedz.Test");
    CHECK(info.version == "1.0.0");
    CHECK(info.nuspec.find("<id>Feedz.Test</id>") != std::string::npos);
    auto names = zip_entry_names(package);
    CHECK(std::find(names.begin(), names.end(), "lib/netstandard2.0/_._") != names.end());
}

TEST_CASE("invalid packages are refused with a reason", "[nupkg]") {
    CHECK_THROWS_AS(read_nupkg("not a zip at all"), FeedError);
    CHECK_THROWS_AS(read_nupkg(zip_create({{"readme.txt", "hi"}})), FeedError);
    CHECK_THROWS_AS(read_nupkg(zip_create({{"a.nuspec", "<package><metadata>"}})), FeedError);
    CHECK_THROWS_AS(
        read_nupkg(zip_create(
            {{"a.nuspec",
              "<package><metadata><id>../x</id><version>1.0.0</version></metadata></package>"}})),
        FeedError);
    CHECK_THROWS_AS(
        read_nupkg(zip_create(
            {{"a.nuspec",
              "<package><metadata><id>x</id><version>..</version></metadata></package>"}})),
        FeedError);
    auto truncated = make_nupkg("A", "1.0.0");
    truncated.resize(truncated.size() / 2);
    CHECK_THROWS_AS(read_nupkg(truncated), FeedError);
}

TEST_CASE("a push body is the first multipart part or the raw body", "[nupkg]") {
    std::string body =
        "--XyZ\r\nContent-Disposition: form-data; name=\"package\"; "
        "filename=\"package.nupkg\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        "PAYLOAD\r\n--XyZ--\r\n";
    CHECK(nuget_package_from_body("multipart/form-data; boundary=XyZ", body) == "PAYLOAD");
    CHECK(nuget_package_from_body("application/octet-stream", "RAW") == "RAW");
    CHECK_THROWS_AS(nuget_package_from_body("multipart/form-data", body), HttpError);
}

TEST_CASE("NuGet versions sort numerically with pre-releases first", "[nupkg]") {
    CHECK(nuget_version_less("1.0.0", "1.10.0"));
    CHECK(nuget_version_less("2.0.0", "2.0.0.1"));
    CHECK(nuget_version_less("1.0.0-beta", "1.0.0"));
    CHECK_FALSE(nuget_version_less("1.0.0", "1.0.0-beta"));
}

TEST_CASE("a made npm tarball reads back with its manifest", "[npm]") {
    auto tgz = make_npm_tarball("@scope/pkg", "1.2.3");
    auto manifest = read_npm_manifest(tgz);
    CHECK(manifest["name"] == "@scope/pkg");
    CHECK(manifest["version"] == "1.2.3");
    CHECK(tgz_read_file(tgz, "package/index.js", 1 << 20)->find("@scope/pkg@1.2.3")
          != std::string::npos);
    CHECK_FALSE(tgz_read_file(tgz, "package/missing", 1 << 20));
}

TEST_CASE("invalid npm tarballs are refused", "[npm]") {
    CHECK_THROWS_AS(read_npm_manifest("plain text"), FeedError);
    CHECK_THROWS_AS(read_npm_manifest(tgz_create({{"package/readme", "x"}})), FeedError);
    CHECK_THROWS_AS(read_npm_manifest(tgz_create({{"package/package.json", "{"}})), FeedError);
    CHECK_THROWS_AS(read_npm_manifest(tgz_create(
                        {{"package/package.json", R"({"name":"../x","version":"1.0.0"})"}})),
                    FeedError);
}
