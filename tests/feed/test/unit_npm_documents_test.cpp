// SPDX-License-Identifier: MIT
#include "base64.hpp"
#include "error.hpp"
#include "npm_documents.hpp"
#include "npm_package.hpp"
#include "token.hpp"

#include <catch2/catch.hpp>

using namespace feed;
using nlohmann::json;

namespace {

// The body `npm publish` sends for one version.
json publish_body(const std::string& name, const std::string& version) {
    auto tgz = make_npm_tarball(name, version);
    auto manifest = read_npm_manifest(tgz);
    manifest["dist"] = {{"shasum", sha1_hex(tgz)}, {"integrity", sha512_integrity(tgz)}};
    return {
        {"_id", name},
        {"name", name},
        {"dist-tags", {{"latest", version}}},
        {"versions", {{version, manifest}}},
        {"_attachments",
         {{name + "-" + version + ".tgz",
           {{"content_type", "application/octet-stream"},
            {"data", encode_base64(tgz)},
            {"length", tgz.size()}}}}},
    };
}

int status_of(const std::function<void()>& action) {
    try {
        action();
    } catch (const HttpError& e) {
        return e.status();
    }
    return 0;
}

} // namespace

TEST_CASE("publishing merges new versions into the packument", "[npm]") {
    auto first = npm_publish(publish_body("@s/n", "1.0.0"), "@s/n", std::nullopt, "t1");
    CHECK(first.packument["dist-tags"]["latest"] == "1.0.0");
    REQUIRE(first.tarballs.size() == 1);
    CHECK(first.tarballs[0].file == "n-1.0.0.tgz");
    CHECK(first.packument["versions"]["1.0.0"]["dist"]["tarball"] == "@s/n/-/n-1.0.0.tgz");

    auto second = npm_publish(publish_body("@s/n", "1.1.0"), "@s/n", first.packument, "t2");
    CHECK(second.packument["versions"].size() == 2);
    CHECK(second.packument["dist-tags"]["latest"] == "1.1.0");
    CHECK(second.packument["_rev"] != first.packument["_rev"]);

    auto client = npm_packument_for_client(second.packument, "https://h/o/r/npm/");
    CHECK(client["versions"]["1.0.0"]["dist"]["tarball"] == "https://h/o/r/npm/@s/n/-/n-1.0.0.tgz");
    CHECK(npm_find_version(second.packument, "latest", "")->at("version") == "1.1.0");
    CHECK_FALSE(npm_find_version(second.packument, "9.9.9", ""));
}

TEST_CASE("republishing a version is a conflict", "[npm]") {
    auto first = npm_publish(publish_body("p", "1.0.0"), "p", std::nullopt, "t");
    CHECK(status_of([&] { npm_publish(publish_body("p", "1.0.0"), "p", first.packument, "t"); })
          == 409);
}

TEST_CASE("bad publish documents are 400", "[npm]") {
    auto body = publish_body("p", "1.0.0");
    CHECK(status_of([&] { npm_publish(body, "other", std::nullopt, "t"); }) == 400);

    auto bad_data = body;
    bad_data["_attachments"]["p-1.0.0.tgz"]["data"] = "not base64!";
    CHECK(status_of([&] { npm_publish(bad_data, "p", std::nullopt, "t"); }) == 400);

    auto bad_length = body;
    bad_length["_attachments"]["p-1.0.0.tgz"]["length"] = 1;
    CHECK(status_of([&] { npm_publish(bad_length, "p", std::nullopt, "t"); }) == 400);

    auto bad_integrity = body;
    bad_integrity["versions"]["1.0.0"]["dist"]["integrity"] = "sha512-AAAA";
    CHECK(status_of([&] { npm_publish(bad_integrity, "p", std::nullopt, "t"); }) == 400);

    auto bad_version = body;
    bad_version["versions"]["../1.0.0"] = bad_version["versions"]["1.0.0"];
    bad_version["versions"].erase("1.0.0");
    CHECK(status_of([&] { npm_publish(bad_version, "p", std::nullopt, "t"); }) == 400);

    auto other_tarball = body;
    other_tarball["_attachments"]["p-1.0.0.tgz"]["data"] =
        encode_base64(make_npm_tarball("p", "2.0.0"));
    other_tarball["_attachments"]["p-1.0.0.tgz"].erase("length");
    other_tarball["versions"]["1.0.0"].erase("dist");
    CHECK(status_of([&] { npm_publish(other_tarball, "p", std::nullopt, "t"); }) == 400);

    CHECK(status_of([&] { npm_publish(json::array(), "p", std::nullopt, "t"); }) == 400);
}

TEST_CASE("deprecate and unpublish change only what they should", "[npm]") {
    auto one = npm_publish(publish_body("p", "1.0.0"), "p", std::nullopt, "t");
    auto two = npm_publish(publish_body("p", "2.0.0"), "p", one.packument, "t");

    auto deprecate = two.packument;
    deprecate["versions"]["1.0.0"]["deprecated"] = "use 2";
    auto deprecated = npm_update_metadata(deprecate, "p", two.packument, "t");
    CHECK(deprecated.packument["versions"]["1.0.0"]["deprecated"] == "use 2");
    CHECK(deprecated.packument["versions"].size() == 2);
    CHECK(status_of([&] { npm_update_metadata(deprecate, "p", std::nullopt, "t"); }) == 404);

    auto unpublish = two.packument;
    unpublish["versions"].erase("2.0.0");
    auto removed = npm_remove_versions(unpublish, "p", two.packument, "t");
    CHECK(removed.packument["versions"].size() == 1);
    CHECK(removed.packument["dist-tags"]["latest"] == "1.0.0");
    CHECK(removed.obsolete == std::vector<std::string>{"p-2.0.0.tgz"});
}
