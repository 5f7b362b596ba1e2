// SPDX-License-Identifier: MIT
#include "scratch_directory.hpp"
#include <agent/npm/npmrc.hpp>
#include <agent/util/file.hpp>

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <string>
#include <vector>

using feedz::Npmrc;
using feedz::NpmrcEntry;

namespace {

std::string text_of(const Npmrc& config) {
    return std::string(config.text().view());
}

// key -> value as npm would read the top level (last wins), for comparisons.
std::map<std::string, std::string> top_level(const Npmrc& config) {
    std::map<std::string, std::string> values;
    for (const auto& entry : config.entries()) {
        if (entry.top_level()) {
            values[entry.key] = entry.has_value ? feedz::npm_value(entry.raw) : "true";
        }
    }
    return values;
}

const std::string k_key = "//f.feedz.io/acme/pkgs/npm/:_auth";
const std::string k_value = "ZmVlZHo6VC1hYmNkZWZnaGlqa2xtbm9w";

// Varied real-world shapes of .npmrc (the issue's list and more).
const std::vector<std::pair<std::string, std::string>> k_varied_files = {
    {"empty", ""},
    {"one line, no final newline", "registry=https://registry.npmjs.org/"},
    {"comments of both kinds, indented",
     "# team settings\n  ; indented comment\nsave-exact=true\n\t# tab comment\n"},
    {"crlf throughout",
     "; windows\r\nregistry=https://registry.npmjs.org/\r\n@acme:registry="
     "https://f.feedz.io/acme/pkgs/npm/\r\n"},
    {"crlf, no final newline", "a=1\r\nb=2"},
    {"scoped registries and other credentials",
     "@acme:registry=https://f.feedz.io/acme/pkgs/npm/\n@other:registry=https://npm.pkg.github."
     "com/\n//npm.pkg.github.com/:_authToken=ghp_notreal\n"},
    {"placeholders",
     "//f.feedz.io/acme/ci/npm/:_authToken=${FEEDZ_NPM_TOKEN?}\ncache=${HOME}/."
     "npm-cache\nescaped=\\${NOT_EXPANDED}\n"},
    {"arrays",
     "ca[]=\"-----BEGIN CERTIFICATE-----\\nAAA\\n-----END CERTIFICATE-----\"\nca[]="
     "second\nomit[]=dev\n"},
    {"quoted values",
     "init-author-name=\"Jane; Doe\"\ninit-license='MIT # really'\nmessage=\"v%"
     "s\"\n"},
    {"sections", "top=1\n\n; about the section\n[section]\nnested=2\n"},
    {"only a section", "; heading\n[section]\nnested=2\n"},
    {"blank lines and trailing spaces", "\n\nkey = value  \n\n   \n"},
    {"lines npm skips", "=no key\njust-a-word\n[unclosed\nkey=\"unterminated\n"},
    {"bom", "\xEF\xBB\xBFregistry=https://registry.npmjs.org/\n"},
    {"lone cr inside a line", "a=1\rb=2\nc=3\n"},
    {"our key already, written by hand, in a section",
     "[x]\n//f.feedz.io/acme/pkgs/npm/:_auth=handwritten\n"},
};

} // namespace

TEST_CASE("npm_value: reads values the way npm's ini parser does", "[config][npmrc]") {
    CHECK(feedz::npm_value("abc;def") == "abc");
    CHECK(feedz::npm_value("abc ;def") == "abc");
    CHECK(feedz::npm_value("abc#def") == "abc");
    CHECK(feedz::npm_value("abc\\;def") == "abc;def");
    CHECK(feedz::npm_value("abc\\#def") == "abc#def");
    CHECK(feedz::npm_value("abc\\xdef") == "abc\\xdef");
    CHECK(feedz::npm_value("trailing\\") == "trailing\\");
    CHECK(feedz::npm_value("\"abc;def\"") == "abc;def");
    CHECK(feedz::npm_value("'abc#def'") == "abc#def");
    CHECK(feedz::npm_value("\"a\\nb\"") == "a\nb");
    CHECK(feedz::npm_value("\"not json") == "\"not json");
    CHECK(feedz::npm_value("\"broken\\q\"") == "\"broken\\q\"");
    CHECK(feedz::npm_value("YWJjOmRlZg==") == "YWJjOmRlZg==");
    CHECK(feedz::npm_value("  spaced  ") == "spaced");
    CHECK(feedz::npm_value("") == "");
}

TEST_CASE("Npmrc: entries follow npm's ini rules", "[config][npmrc]") {
    Npmrc config = Npmrc::parse("# comment\n"
                                "  ; indented comment\n"
                                "registry = https://r.example/ \n"
                                "k=v=w\n"
                                "bare\n"
                                "ca[]=one\r\n"
                                "ca[]=two\n"
                                "=skipped\n"
                                "\"quoted key\"=1\n"
                                "a=1\rb=2\n"
                                "[sec]\n"
                                "inner=3\n");
    auto entries = config.entries();
    REQUIRE(entries.size() == 9);
    CHECK(entries[0].key == "registry");
    CHECK(entries[0].line == 3);
    CHECK(feedz::npm_value(entries[0].raw) == "https://r.example/");
    CHECK(entries[1].key == "k");
    CHECK(entries[1].raw == "v=w");
    CHECK(entries[2].key == "bare");
    CHECK_FALSE(entries[2].has_value);
    CHECK(entries[3].key == "ca");
    CHECK(entries[3].array);
    CHECK(entries[3].raw == "one");
    CHECK(entries[4].array);
    CHECK(entries[5].key == "quoted key");
    CHECK(entries[5].line == 9);
    CHECK(entries[6].key == "a");
    CHECK(entries[6].line == 10);
    CHECK(entries[7].key == "b");
    CHECK(entries[7].line == 11);
    CHECK(entries[8].key == "inner");
    CHECK_FALSE(entries[8].top_level());
    CHECK(*entries[8].section == "sec");
}

TEST_CASE("Npmrc: find gives the top-level entry npm uses", "[config][npmrc]") {
    Npmrc config = Npmrc::parse("k=first\nk=second\nlist[]=x\n[s]\nk=third\n");
    REQUIRE(config.find("k"));
    CHECK(config.find("k")->raw == "second");
    CHECK(config.find("k")->line == 2);
    CHECK_FALSE(config.find("list"));
    CHECK_FALSE(config.find("missing"));
}

TEST_CASE("Npmrc: a BOM and no-break spaces are trimmed from keys, as JavaScript's trim does",
          "[config][npmrc]") {
    Npmrc config = Npmrc::parse("\xEF\xBB\xBF_authToken=x\n\xC2\xA0key\xC2\xA0=y\n");
    CHECK(config.find("_authToken"));
    CHECK(config.find("key"));
}

TEST_CASE("Npmrc: set then erase gives back every varied file byte for byte", "[config][npmrc]") {
    for (const auto& [name, text] : k_varied_files) {
        INFO(name);
        Npmrc config = Npmrc::parse(text);
        auto before = top_level(config);
        REQUIRE(config.set(k_key, k_value));
        CHECK(config.changed());
        // Only our line was added: every other setting reads the same.
        auto after = top_level(config);
        CHECK(after[k_key] == k_value);
        after.erase(k_key);
        before.erase(k_key);
        CHECK(after == before);
        // A second identical set changes nothing.
        std::string once = text_of(config);
        CHECK_FALSE(config.set(k_key, k_value));
        CHECK(text_of(config) == once);
        // A new value replaces the line in place.
        REQUIRE(config.set(k_key, "bmV3"));
        CHECK(text_of(config).size() == once.size() - k_value.size() + 4);
        REQUIRE(config.erase(k_key));
        CHECK(text_of(config) == text);
        CHECK_FALSE(config.erase(k_key));
    }
}

TEST_CASE("Npmrc: an added line follows the file's line endings", "[config][npmrc]") {
    Npmrc crlf = Npmrc::parse("a=1\r\nb=2\r\n");
    crlf.set("c", "3");
    CHECK(text_of(crlf) == "a=1\r\nb=2\r\nc=3\r\n");
    Npmrc no_newline = Npmrc::parse("a=1");
    no_newline.set("c", "3");
    CHECK(text_of(no_newline) == "a=1\nc=3");
    Npmrc empty = Npmrc::parse("");
    empty.set("c", "3");
    CHECK(text_of(empty) == "c=3\n");
}

TEST_CASE("Npmrc: an added line goes before the first section, after the top-level settings",
          "[config][npmrc]") {
    Npmrc config = Npmrc::parse("top=1\n\n; about the section\n[section]\nnested=2\n");
    config.set("c", "3");
    CHECK(text_of(config) == "top=1\nc=3\n\n; about the section\n[section]\nnested=2\n");
    CHECK(config.find("c"));
    Npmrc only_section = Npmrc::parse("; heading\n[section]\nnested=2\n");
    only_section.set("c", "3");
    CHECK(text_of(only_section) == "c=3\n; heading\n[section]\nnested=2\n");
}

TEST_CASE("Npmrc: a key under a section is not the top-level key", "[config][npmrc]") {
    Npmrc config = Npmrc::parse("[x]\n//h/o/r/npm/:_auth=handwritten\n");
    CHECK_FALSE(config.find("//h/o/r/npm/:_auth"));
    config.set("//h/o/r/npm/:_auth", "ours");
    CHECK(text_of(config) == "//h/o/r/npm/:_auth=ours\n[x]\n//h/o/r/npm/:_auth=handwritten\n");
    config.erase("//h/o/r/npm/:_auth");
    CHECK(text_of(config) == "[x]\n//h/o/r/npm/:_auth=handwritten\n");
}

TEST_CASE("Npmrc: set rewrites the last line of a key", "[config][npmrc]") {
    Npmrc config = Npmrc::parse("k=1\nk=2\n");
    config.set("k", "3");
    CHECK(text_of(config) == "k=1\nk=3\n");
}

TEST_CASE("Npmrc: a lone CR ends a line, as it does for npm", "[config][npmrc]") {
    Npmrc mixed = Npmrc::parse("x=0\rk=1\n");
    mixed.set("k", "2");
    CHECK(text_of(mixed) == "x=0\rk=2\n");
    mixed.erase("k");
    CHECK(text_of(mixed) == "x=0\r");

    // Found by the fuzzer: the line holding "[section]" between lone CRs was treated as one
    // line, so the new entry went above it and the old one, still at the top level, won.
    const std::string original = "regai://=1\r[section]\r.fig\nregait\ns=xi";
    Npmrc config = Npmrc::parse(original);
    CHECK(text_of(config) == original);
    REQUIRE(config.set("regai://", "fuzzvalue"));
    CHECK(text_of(config) == "regai://=fuzzvalue\r[section]\r.fig\nregait\ns=xi");
    auto found = config.find("regai://");
    REQUIRE(found);
    CHECK(found->raw == "fuzzvalue");
    CHECK(config.entries().size() == 4);
    CHECK(config.entries()[1].section == "section");

    Npmrc added = Npmrc::parse("[section]\ra=1\r");
    added.set("k", "v");
    CHECK(text_of(added) == "k=v\r[section]\ra=1\r");
    CHECK(added.find("k")->raw == "v");
    added.erase("k");
    CHECK(text_of(added) == "[section]\ra=1\r");
}

TEST_CASE("npm_placeholders: finds what npm expands, not escaped ones", "[config][npmrc]") {
    auto found = feedz::npm_placeholders("${A}-${B?}-\\${C}-\\\\${D}-${}-${E$F}-${G");
    REQUIRE(found.size() == 3);
    CHECK(found[0].name == "A");
    CHECK_FALSE(found[0].optional);
    CHECK(found[1].name == "B");
    CHECK(found[1].optional);
    CHECK(found[2].name == "D");
}

TEST_CASE("npm_expand: npm 11's rules for set, unset, optional and escaped", "[config][npmrc]") {
    auto lookup = [](std::string_view name) -> std::optional<std::string_view> {
        if (name == "SET") {
            return std::string_view("value");
        }
        if (name == "EMPTY") {
            return std::string_view("");
        }
        return std::nullopt;
    };
    CHECK(feedz::npm_expand("x${SET}y", lookup) == "xvaluey");
    CHECK(feedz::npm_expand("${UNSET}", lookup) == "${UNSET}");
    CHECK(feedz::npm_expand("${UNSET?}", lookup) == "");
    CHECK(feedz::npm_expand("${SET?}", lookup) == "value");
    CHECK(feedz::npm_expand("${EMPTY}", lookup) == "");
    CHECK(feedz::npm_expand("\\${SET}", lookup) == "${SET}");
    CHECK(feedz::npm_expand("\\\\${SET}", lookup) == "\\value");
    CHECK(feedz::npm_expand("\\\\\\${SET}", lookup) == "\\${SET}");
    CHECK(feedz::npm_expand("no placeholders", lookup) == "no placeholders");
}

TEST_CASE("npm_nerf_dart: the key npm looks credentials up by", "[config][npmrc]") {
    CHECK(feedz::npm_nerf_dart("https://f.feedz.io/acme/pkgs/npm/")
          == "//f.feedz.io/acme/pkgs/npm/");
    CHECK(feedz::npm_nerf_dart("https://f.feedz.io/acme/pkgs/npm") == "//f.feedz.io/acme/pkgs/");
    CHECK(feedz::npm_nerf_dart("https://F.Feedz.IO:443/a/b/npm/x.tgz?q=1")
          == "//f.feedz.io/a/b/npm/");
    CHECK(feedz::npm_nerf_dart("https://127.0.0.1:8443/a/b/npm/") == "//127.0.0.1:8443/a/b/npm/");
    CHECK(feedz::npm_nerf_dart("http://h:80/x/") == "//h/x/");
    CHECK(feedz::npm_nerf_dart("https://user:pw@h/x/") == "//h/x/");
    CHECK(feedz::npm_nerf_dart("https://registry.npmjs.org") == "//registry.npmjs.org/");
    CHECK_FALSE(feedz::npm_nerf_dart("file:///x"));
    CHECK_FALSE(feedz::npm_nerf_dart("not a url"));
}

TEST_CASE("npm_basic_auth: base64 of feedz:TOKEN", "[config][npmrc]") {
    CHECK(feedz::npm_basic_auth("T-abcdefghijklmnop").view() == "ZmVlZHo6VC1hYmNkZWZnaGlqa2xtbm9w");
    CHECK(feedz::npm_base64("a").view() == "YQ==");
    CHECK(feedz::npm_base64("ab").view() == "YWI=");
    CHECK(feedz::npm_base64("abc").view() == "YWJj");
    CHECK(feedz::npm_base64("").view().empty());
}

TEST_CASE("Npmrc::load: a missing file is empty, a binary one is refused", "[config][npmrc]") {
    ScratchDirectory scratch;
    auto missing = Npmrc::load(scratch.path() + "/none");
    REQUIRE(missing);
    CHECK_FALSE(missing->exists());
    CHECK(missing->entries().empty());
    std::string binary = scratch.file("binary", std::string("a=1\nb\0=2\n", 9));
    auto refused = Npmrc::load(binary);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message.find(binary + ":2:") != std::string::npos);
    auto directory = Npmrc::load(scratch.path());
    CHECK_FALSE(directory);
}

TEST_CASE("Npmrc::save: atomic, mode 0600, through a symlink, only when changed",
          "[config][npmrc]") {
    ScratchDirectory scratch;
    std::string target = scratch.file("dotfiles-npmrc", "# mine\r\na=1\r\n", 0644);
    std::string link = scratch.path() + "/.npmrc";
    REQUIRE(::symlink(target.c_str(), link.c_str()) == 0);

    auto config = Npmrc::load(link);
    REQUIRE(config);
    REQUIRE(config->exists());
    REQUIRE(config->save()); // unchanged: not written

    struct stat st {};

    REQUIRE(::stat(target.c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0644);

    config->set(k_key, k_value);
    REQUIRE(config->save());

    struct stat link_st {};

    REQUIRE(::lstat(link.c_str(), &link_st) == 0);
    CHECK(S_ISLNK(link_st.st_mode));
    REQUIRE(::stat(target.c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0600);
    CHECK(read_existing_file(target) == "# mine\r\na=1\r\n" + k_key + "=" + k_value + "\r\n");

    auto reloaded = Npmrc::load(link);
    REQUIRE(reloaded);
    REQUIRE(reloaded->erase(k_key));
    REQUIRE(reloaded->save());
    CHECK(read_existing_file(target) == "# mine\r\na=1\r\n");
}

TEST_CASE("Npmrc::save: a new file is created 0600 with its directory", "[config][npmrc]") {
    ScratchDirectory scratch;
    std::string path = scratch.path() + "/sub/npmrc";
    auto config = Npmrc::load(path);
    REQUIRE(config);
    config->set(k_key, k_value);
    REQUIRE(config->save());
    CHECK(config->exists());

    struct stat st {};

    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0600);
    CHECK(read_existing_file(path) == k_key + "=" + k_value + "\n");
}

TEST_CASE("Npmrc::write_to: the same bytes as text()", "[config][npmrc]") {
    ScratchDirectory scratch;
    for (const auto& [name, text] : k_varied_files) {
        INFO(name);
        Npmrc config = Npmrc::parse(text);
        config.set(k_key, k_value);
        std::string path = scratch.path() + "/out";
        int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        REQUIRE(fd >= 0);
        REQUIRE(config.write_to(fd));
        ::close(fd);
        CHECK(read_existing_file(path) == text_of(config));
    }
}
