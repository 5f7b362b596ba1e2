// SPDX-License-Identifier: MIT
#include "scratch_directory.hpp"
#include <agent/npm/yarnrc.hpp>

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

using feedz::YarnField;
using feedz::YarnRc;

namespace {

const std::string k_registry = "//f.feedz.io/acme/pkgs/npm/";

const std::vector<YarnField> k_auth = {
    {"npmAlwaysAuth", "true"},
    {"npmAuthIdent", "\"${FEEDZ_NPM_ACME_PKGS:-}\""},
};

YarnRc parsed(const std::string& text) {
    auto config = YarnRc::parse(text, "/home/u/.yarnrc.yml");
    REQUIRE(config);
    return std::move(*config);
}

std::string text_of(const YarnRc& config) {
    return std::string(config.text().view());
}

} // namespace

TEST_CASE("yarnrc: an entry added to a file without the section goes at the end, and its "
          "removal restores every byte") {
    const std::vector<std::string> originals = {
        "",
        "yarnPath: .yarn/releases/yarn-4.18.1.cjs\n",
        "# my settings\r\nnodeLinker: node-modules\r\n",
        "enableTelemetry: false", // no final newline
        "npmScopes:\n  other:\n    npmRegistryServer: \"https://r.example/\"\n",
    };
    for (const auto& original : originals) {
        INFO(original);
        YarnRc config = parsed(original);
        auto written = config.add("npmRegistries", k_registry, k_auth);
        REQUIRE(written);
        REQUIRE(written->has_value());
        std::string text = text_of(config);
        CHECK(text.starts_with(original.ends_with('\n') || original.empty() ? original
                                                                            : original + "\n"));
        std::string eol = original.find("\r\n") != std::string::npos ? "\r\n" : "\n";
        CHECK(text.find("npmRegistries:" + eol + "  \"//f.feedz.io/acme/pkgs/npm/\":" + eol
                        + "    npmAlwaysAuth: true" + eol
                        + "    npmAuthIdent: \"${FEEDZ_NPM_ACME_PKGS:-}\"")
              != std::string::npos);

        // What yarn reads back.
        YarnRc reread = parsed(text);
        auto entries = reread.entries("npmRegistries");
        REQUIRE(entries.size() == 1);
        CHECK(entries[0].key == k_registry);
        REQUIRE(entries[0].field("npmAuthIdent"));
        CHECK(*entries[0].field("npmAuthIdent") == "${FEEDZ_NPM_ACME_PKGS:-}");
        CHECK(*entries[0].field("npmAlwaysAuth") == "true");

        CHECK(reread.remove("npmRegistries", k_registry, **written, true));
        CHECK(text_of(reread) == original);
    }
}

TEST_CASE("yarnrc: an entry added to an existing section follows its indentation and keeps "
          "the rest") {
    std::string original = "npmRegistries:\n"
                           "    # the company's\n"
                           "    \"https://npm.example/\":\n"
                           "        npmAuthToken: \"${COMPANY_TOKEN}\"\n"
                           "\n"
                           "npmScopes:\n"
                           "    acme:\n"
                           "        npmRegistryServer: 'https://npm.example/'\n";
    YarnRc config = parsed(original);
    auto written = config.add("npmRegistries", k_registry, k_auth);
    REQUIRE(written);
    REQUIRE(written->has_value());
    CHECK(**written
          == "    \"//f.feedz.io/acme/pkgs/npm/\":\n"
             "        npmAlwaysAuth: true\n"
             "        npmAuthIdent: \"${FEEDZ_NPM_ACME_PKGS:-}\"\n");
    YarnRc reread = parsed(text_of(config));
    auto entries = reread.entries("npmRegistries");
    REQUIRE(entries.size() == 2);
    CHECK(entries[0].key == "https://npm.example/");
    CHECK(*entries[0].field("npmAuthToken") == "${COMPANY_TOKEN}");
    CHECK(entries[1].key == k_registry);
    auto scopes = reread.entries("npmScopes");
    REQUIRE(scopes.size() == 1);
    CHECK(*scopes[0].field("npmRegistryServer") == "https://npm.example/");

    // The section stays: it holds the user's entry.
    CHECK(reread.remove("npmRegistries", k_registry, **written, true));
    CHECK(text_of(reread) == original);
}

TEST_CASE("yarnrc: an entry that is already there is not added again") {
    YarnRc config =
        parsed("npmRegistries:\n  \"//f.feedz.io/acme/pkgs/npm\":\n    npmAuthIdent: x\n"
               "  '//f.feedz.io/acme/pkgs/npm/':\n    npmAuthIdent: y\n");
    auto written = config.add("npmRegistries", k_registry, k_auth);
    REQUIRE(written);
    CHECK_FALSE(written->has_value());
    CHECK_FALSE(config.changed());
}

TEST_CASE("yarnrc: an entry changed since it was added stays") {
    YarnRc config = parsed("");
    auto written = config.add("npmRegistries", k_registry, k_auth);
    REQUIRE(written);
    std::string edited = text_of(config);
    edited.replace(edited.find("true"), 4, "false");
    YarnRc reread = parsed(edited);
    CHECK_FALSE(reread.remove("npmRegistries", k_registry, **written, true));
    CHECK(text_of(reread) == edited);
}

TEST_CASE("yarnrc: scalars are read as yarn reads them") {
    YarnRc config = parsed("npmScopes:\n"
                           "  acme:\n"
                           "    npmRegistryServer: https://f.feedz.io/acme/pkgs/npm/ # ours\n"
                           "    npmPublishRegistry: \"https://f.feedz.io/acme/\\\"q\\\"/npm/\"\n"
                           "  'it''s':\n"
                           "    npmAlwaysAuth: true\n"
                           "enableTelemetry: false\n");
    auto scopes = config.entries("npmScopes");
    REQUIRE(scopes.size() == 2);
    CHECK(scopes[0].key == "acme");
    CHECK(*scopes[0].field("npmRegistryServer") == "https://f.feedz.io/acme/pkgs/npm/");
    CHECK(*scopes[0].field("npmPublishRegistry") == "https://f.feedz.io/acme/\"q\"/npm/");
    CHECK(scopes[1].key == "it's");
    CHECK(config.entries("npmRegistries").empty());
    CHECK_FALSE(config.has_section("npmRegistries"));
}

TEST_CASE("yarnrc: YAML this editor does not follow is an error and is never written") {
    using namespace std::string_literals;
    for (const std::string& text : {"npmScopes:\n\tacme:\n"s, "a: 1\n---\nb: 2\n"s, "a: b\0c\n"s}) {
        INFO(text);
        CHECK_FALSE(YarnRc::parse(text, "f"));
    }
    YarnRc flow = parsed("npmRegistries: {\"//r.example/\": {npmAuthIdent: x}}\n");
    auto added = flow.add("npmRegistries", k_registry, k_auth);
    REQUIRE_FALSE(added);
    CHECK(added.error().message.find("flow style") != std::string::npos);
    CHECK_FALSE(flow.changed());
    YarnRc list = parsed("npmRegistries:\n  - x\n");
    CHECK_FALSE(list.add("npmRegistries", k_registry, k_auth));
}

TEST_CASE("yarnrc: berry's registry keys and variables") {
    CHECK(feedz::yarn_registry_key("https://f.feedz.io/acme/pkgs/npm/")
          == "//f.feedz.io/acme/pkgs/npm");
    CHECK(feedz::yarn_registry_key("//f.feedz.io/acme/pkgs/npm/") == "//f.feedz.io/acme/pkgs/npm");
    CHECK(feedz::yarn_registry_key("http://127.0.0.1:8080/a/b/npm") == "//127.0.0.1:8080/a/b/npm");
    CHECK(feedz::yarn_variable("${FEEDZ_X:-}") == "FEEDZ_X");
    CHECK(feedz::yarn_variable("${FEEDZ_X-}") == "FEEDZ_X");
    CHECK(feedz::yarn_variable("${FEEDZ_X}") == "FEEDZ_X");
    CHECK_FALSE(feedz::yarn_variable("feedz:${FEEDZ_X}"));
    CHECK_FALSE(feedz::yarn_variable("${A}${B}"));
    CHECK_FALSE(feedz::yarn_variable("${1A}"));
    CHECK_FALSE(feedz::yarn_variable("literal"));
}

TEST_CASE("yarnrc: save writes the file, through a link, and keeps its mode") {
    ScratchDirectory dir;
    std::string target = dir.file("dotfiles-yarnrc.yml", "enableTelemetry: false\n", 0640);
    std::string link = dir.path(".yarnrc.yml");
    REQUIRE(::symlink(target.c_str(), link.c_str()) == 0);
    auto config = YarnRc::load(link);
    REQUIRE(config);
    CHECK(config->exists());
    REQUIRE(config->add("npmRegistries", k_registry, k_auth));
    REQUIRE(config->save());
    CHECK(read_existing_file(target).find("npmAuthIdent") != std::string::npos);

    struct stat st {};

    REQUIRE(::lstat(link.c_str(), &st) == 0);
    CHECK(S_ISLNK(st.st_mode));
    REQUIRE(::stat(target.c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0640);

    auto missing = YarnRc::load(dir.path() + "/none.yml");
    REQUIRE(missing);
    CHECK_FALSE(missing->exists());
}

TEST_CASE("yarnrc: a byte order mark stays, and the section after it is found") {
    std::string original = "\xEF\xBB\xBFnpmRegistries:\n  \"//r.example/\":\n    npmAuthIdent: x\n";
    YarnRc config = parsed(original);
    auto written = config.add("npmRegistries", k_registry, k_auth);
    REQUIRE(written);
    REQUIRE(written->has_value());
    std::string text = text_of(config);
    CHECK(text.starts_with(original));
    CHECK(text.find("npmRegistries:", 4) == std::string::npos); // no second section
    CHECK(parsed(text).entries("npmRegistries").size() == 2);
    CHECK(config.remove("npmRegistries", k_registry, **written, true));
    CHECK(text_of(config) == original);
}
