// SPDX-License-Identifier: MIT
#include "environment_guard.hpp"
#include "scratch_directory.hpp"
#include <agent/nuget/nuget_config.hpp>
#include <agent/util/file.hpp>

#include <catch2/catch.hpp>

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

using feedz::NuGetConfig;

namespace {

const std::string k_url = "https://f.feedz.io/acme/pkgs/nuget/index.json";

// Varied real-world shapes of NuGet.Config (the list and more).
const std::vector<std::pair<std::string, std::string>> k_varied_files = {
    {"plain",
     "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <packageSources>\n"
     "    <add key=\"nuget.org\" value=\"https://api.nuget.org/v3/index.json\" "
     "protocolVersion=\"3\" />\n  </packageSources>\n</configuration>\n"},
    {"crlf, bom, tabs and comments",
     "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<!-- team config -->\r\n"
     "<configuration>\r\n\t<packageSources>\r\n\t\t<!-- keep this first -->\r\n"
     "\t\t<clear />\r\n\t\t<add key=\"local\" value=\"/srv/packages\" />\r\n"
     "\t</packageSources>\r\n</configuration>\r\n"},
    {"source mapping, credentials, disabled sources",
     "<?xml version=\"1.0\"?>\n<configuration>\n    <packageSources>\n        <clear/>\n"
     "        <add key=\"nuget.org\" value=\"https://api.nuget.org/v3/index.json\"/>\n"
     "        <add key=\"other\" value=\"https://example.com/v3/index.json\"/>\n"
     "    </packageSources>\n    <packageSourceCredentials>\n        <other>\n"
     "            <add key=\"Username\" value=\"me\" />\n"
     "            <add key=\"ClearTextPassword\" value=\"secret &amp; more\" />\n"
     "        </other>\n    </packageSourceCredentials>\n    <disabledPackageSources>\n"
     "        <add key=\"other\" value=\"true\" />\n    </disabledPackageSources>\n"
     "    <packageSourceMapping>\n        <packageSource key=\"nuget.org\">\n"
     "            <package pattern=\"*\" />\n        </packageSource>\n"
     "    </packageSourceMapping>\n</configuration>\n"},
    {"no packageSources section, single quotes, no final newline",
     "<configuration><config><add key='globalPackagesFolder' value='/cache' /></config>"
     "</configuration>"},
    {"empty self-closing packageSources",
     "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <packageSources />\n"
     "  <apikeys>\n  </apikeys>\n</configuration>\n"},
    {"one-line packageSources",
     "<configuration><packageSources><add key=\"a\" value=\"https://a.example/index.json\"/>"
     "</packageSources></configuration>\n"},
};

} // namespace

TEST_CASE("NuGetConfig: varied files round-trip byte for byte apart from our entry",
          "[config][nuget]") {
    ScratchDirectory scratch;
    for (const auto& [name, original] : k_varied_files) {
        INFO(name);
        std::string path = scratch.file("NuGet.Config", original, 0640);
        auto config = NuGetConfig::load(path);
        REQUIRE(config);
        REQUIRE_FALSE(config->key_of_url(k_url));
        auto self_closing = config->self_closing_text("packageSources");
        REQUIRE(config->add_source("acme/pkgs", k_url));
        REQUIRE(config->save());
        std::string edited = read_existing_file(path);
        CHECK(edited != original);
        CHECK(edited.find("<add key=\"acme/pkgs\" value=\"" + k_url + "\" />")
              != std::string::npos);

        // The edited file is well-formed and has the source, exactly once.
        auto reloaded = NuGetConfig::load(path);
        REQUIRE(reloaded);
        CHECK(reloaded->key_of_url(k_url) == std::optional<std::string>("acme/pkgs"));

        // Removing our entry gives back every original byte (the self-closing section,
        // expanded to hold our entry, is the documented exception).
        auto removed = reloaded->remove_source("acme/pkgs", k_url);
        REQUIRE(removed);
        CHECK(*removed);
        if (name == "no packageSources section, single quotes, no final newline") {
            // The section we created goes too.
            auto removed_section = reloaded->remove_section_if_empty("packageSources");
            REQUIRE(removed_section);
            CHECK(*removed_section);
        }
        if (self_closing) {
            // The expanded <packageSources /> is collapsed again (logout records it).
            auto restored = reloaded->restore_self_closing("packageSources", *self_closing);
            REQUIRE(restored);
            CHECK(*restored);
        }
        REQUIRE(reloaded->save());
        CHECK(read_existing_file(path) == original);
    }
}

TEST_CASE("NuGetConfig: a created section is removed again, restoring the file",
          "[config][nuget]") {
    ScratchDirectory scratch;
    const std::string original = "<?xml version=\"1.0\"?>\r\n<configuration>\r\n  <config>\r\n"
                                 "    <add key=\"http_proxy\" value=\"http://proxy\" />\r\n  "
                                 "</config>\r\n</configuration>\r\n";
    std::string path = scratch.file("NuGet.Config", original, 0640);
    auto config = NuGetConfig::load(path);
    REQUIRE(config);
    REQUIRE(config->add_source("acme/pkgs", k_url));
    CHECK(config->text().find("  <packageSources>\r\n    <add key=\"acme/pkgs\"")
          != std::string::npos);
    REQUIRE(config->remove_source("acme/pkgs", k_url));
    auto removed = config->remove_section_if_empty("packageSources");
    REQUIRE(removed);
    CHECK(*removed);
    CHECK(config->text() == original);
}

TEST_CASE("NuGetConfig: the new entry is indented like its siblings", "[config][nuget]") {
    ScratchDirectory scratch;
    std::string path = scratch.file("NuGet.Config", k_varied_files[1].second);
    auto config = NuGetConfig::load(path);
    REQUIRE(config);
    REQUIRE(config->add_source("acme/pkgs", k_url));
    CHECK(config->text().find("\r\n\t\t<add key=\"acme/pkgs\" value=\"" + k_url
                              + "\" />\r\n\t</packageSources>")
          != std::string::npos);
}

TEST_CASE("NuGetConfig: facts about sources, credentials, disabled sources and mappings",
          "[config][nuget]") {
    ScratchDirectory scratch;
    std::string path = scratch.file("NuGet.Config", k_varied_files[2].second);
    auto config = NuGetConfig::load(path);
    REQUIRE(config);
    CHECK(config->sources().size() == 2);
    CHECK(config->key_of_url("https://EXAMPLE.com:443/v3/index.json")
          == std::optional<std::string>("other"));
    CHECK(config->is_disabled("other"));
    CHECK_FALSE(config->is_disabled("nuget.org"));
    CHECK(config->credentials_line("other") == std::optional<std::size_t>(9));
    CHECK_FALSE(config->credentials_line("nuget.org"));
    CHECK(config->uses_source_mapping());
    CHECK(config->has_mapping("nuget.org"));
    CHECK_FALSE(config->has_mapping("acme/pkgs"));
}

TEST_CASE("NuGetConfig: <Add Key Value> is a source, as NuGet reads it", "[config][nuget]") {
    ScratchDirectory scratch;
    std::string path = scratch.file(
        "NuGet.Config",
        "<configuration>\n  <packageSources>\n"
        "    <Add Key=\"team\" VALUE=\"https://f.feedz.io/acme/pkgs/nuget/index.json\" />\n"
        "    <clear />\n  </packageSources>\n</configuration>\n");
    auto config = NuGetConfig::load(path);
    REQUIRE(config);
    REQUIRE(config->sources().size() == 1);
    CHECK(config->sources()[0].line == 3);
    // login finds it and adds no second source for the same URL.
    CHECK(config->key_of_url("https://f.feedz.io/acme/pkgs/nuget/index.json")
          == std::optional<std::string>("team"));
}

TEST_CASE("NuGetConfig: a source is found by its URL in any spelling of its host",
          "[config][nuget]") {
    // key_of_url() normalises only the sources that name our host in some case: the file's
    // spelling, not only ours, must still match.
    ScratchDirectory scratch;
    std::string path = scratch.file(
        "NuGet.Config",
        "<configuration>\n  <packageSources>\n"
        "    <add key=\"other\" value=\"https://nuget.example.com/f.feedz.io/index.json\" />\n"
        "    <add key=\"team\" value=\"HTTPS://F.Feedz.IO:443/acme/./pkgs/nuget/index.json\" />\n"
        "    <add key=\"v6\" value=\"https://[::1]:8443/acme/pkgs/nuget/index.json\" />\n"
        "  </packageSources>\n</configuration>\n");
    auto config = NuGetConfig::load(path);
    REQUIRE(config);
    CHECK(config->key_of_url("https://f.feedz.io/acme/pkgs/nuget/index.json")
          == std::optional<std::string>("team"));
    CHECK(config->key_of_url("https://[::1]:8443/acme/pkgs/nuget/index.json")
          == std::optional<std::string>("v6"));
    CHECK_FALSE(config->key_of_url("https://f.feedz.io/acme/other/nuget/index.json"));
    CHECK(config->has_key("v6"));
    CHECK_FALSE(config->has_key("TEAM"));
}

TEST_CASE("NuGetConfig: mappings are added under packageSourceMapping and removed again",
          "[config][nuget]") {
    ScratchDirectory scratch;
    const std::string original = k_varied_files[2].second;
    std::string path = scratch.file("NuGet.Config", original, 0640);
    auto config = NuGetConfig::load(path);
    REQUIRE(config);
    REQUIRE(config->add_source("acme/pkgs", k_url));
    REQUIRE(config->add_mapping("acme/pkgs", "Acme.*"));
    REQUIRE(config->add_mapping("acme/pkgs", "Widgets"));
    REQUIRE(config->add_mapping("acme/pkgs", "Widgets")); // idempotent
    CHECK(config->has_mapping("acme/pkgs", "Acme.*"));
    CHECK(config->text().find("        <packageSource key=\"acme/pkgs\">\n"
                              "            <package pattern=\"Acme.*\" />\n"
                              "            <package pattern=\"Widgets\" />\n"
                              "        </packageSource>\n")
          != std::string::npos);
    REQUIRE(config->remove_mapping("acme/pkgs", "Widgets"));
    REQUIRE(config->remove_mapping("acme/pkgs", "Acme.*"));
    REQUIRE(config->remove_source("acme/pkgs", k_url));
    CHECK(config->text() == original);
}

TEST_CASE("NuGetConfig: a missing file starts as dotnet would create it", "[config][nuget]") {
    ScratchDirectory scratch;
    std::string path = scratch.path() + "/sub/NuGet.Config";
    auto config = NuGetConfig::load(path);
    REQUIRE(config);
    CHECK(config->created());
    CHECK(config->key_of_url("https://api.nuget.org/v3/index.json"));
    REQUIRE(config->add_source("acme/pkgs", k_url));
    REQUIRE(config->save());

    struct stat st {};

    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0644);
    auto reloaded = NuGetConfig::load(path);
    REQUIRE(reloaded);
    CHECK_FALSE(reloaded->created());
    REQUIRE(reloaded->remove_source("acme/pkgs", k_url));
    CHECK(reloaded->text() == NuGetConfig::new_file_text());
}

TEST_CASE("NuGetConfig: an existing file keeps its mode", "[config][nuget]") {
    ScratchDirectory scratch;
    std::string path = scratch.file("NuGet.Config", k_varied_files[0].second, 0640);
    auto config = NuGetConfig::load(path);
    REQUIRE(config);
    REQUIRE(config->add_source("acme/pkgs", k_url));
    REQUIRE(config->save());

    struct stat st {};

    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0640);
}

TEST_CASE("NuGetConfig: a file that is not XML is refused with file and line, and left alone",
          "[config][nuget]") {
    ScratchDirectory scratch;
    const std::vector<std::pair<std::string, std::string>> broken = {
        {"<configuration>\n  <packageSources>\n    <add key=\"a\" value=\"b\">\n  "
         "</packageSources>\n</configuration>\n",
         ":4:"},
        {"<configuration>\n  <add key=\"a\" value=\"b & c\" />\n</configuration>\n", ":2:"},
        {"<configuration>\n  <add key=\"a\" value=\"b\" key=\"c\" />\n</configuration>\n", ":2:"},
        {"<configuration>\n</configuration>\n<extra/>\n", ":3:"},
        {"not xml at all\n", ":1:"},
        {"<configuration>\n  <!-- unterminated\n</configuration>\n", ":2:"},
        {"<settings>\n</settings>\n", "not <configuration>"},
        {"", "no root element"},
    };
    for (const auto& [content, where] : broken) {
        INFO(content);
        std::string path = scratch.file("NuGet.Config", content);
        auto config = NuGetConfig::load(path);
        REQUIRE_FALSE(config);
        CHECK(config.error().code == feedz::Errc::io_error);
        CHECK(config.error().message.find(path) != std::string::npos);
        CHECK(config.error().message.find(where) != std::string::npos);
        CHECK(config.error().message.find("left as it was") != std::string::npos);
        CHECK(read_existing_file(path) == content);
    }
}

TEST_CASE("NuGetConfig: attribute values are escaped and compared unescaped", "[config][nuget]") {
    ScratchDirectory scratch;
    std::string path = scratch.file("NuGet.Config", k_varied_files[0].second, 0640);
    auto config = NuGetConfig::load(path);
    REQUIRE(config);
    REQUIRE(config->add_source("a&b <\"c\">", "https://h.example/x/y/nuget/index.json"));
    CHECK(config->text().find("key=\"a&amp;b &lt;&quot;c&quot;&gt;\"") != std::string::npos);
    CHECK(config->has_key("a&b <\"c\">"));
}

TEST_CASE("NuGetConfig: a self-closing root is expanded for a source and collapsed again",
          "[config][nuget]") {
    ScratchDirectory scratch;
    const std::string original = "<?xml version=\"1.0\"?>\r\n<configuration />\r\n";
    std::string path = scratch.file("NuGet.Config", original);
    auto config = NuGetConfig::load(path);
    REQUIRE(config);
    auto root_text = config->self_closing_text("configuration");
    REQUIRE(root_text == std::optional<std::string>("<configuration />"));
    REQUIRE(config->add_source("acme/pkgs", k_url));
    CHECK(config->key_of_url(k_url));
    REQUIRE(config->remove_source("acme/pkgs", k_url));
    REQUIRE(config->remove_section_if_empty("packageSources"));
    auto restored = config->restore_self_closing("configuration", *root_text);
    REQUIRE(restored);
    CHECK(*restored);
    CHECK(config->text() == original);
}

TEST_CASE("NuGetConfig: an element the user put something in since is not collapsed",
          "[config][nuget]") {
    ScratchDirectory scratch;
    std::string path =
        scratch.file("NuGet.Config", "<configuration>\n  <packageSources />\n</configuration>\n");
    auto config = NuGetConfig::load(path);
    REQUIRE(config);
    auto text = config->self_closing_text("packageSources");
    REQUIRE(text);
    REQUIRE(config->add_source("acme/pkgs", k_url));
    REQUIRE(config->add_source("mine", "https://mine.example/v3/index.json"));
    REQUIRE(config->remove_source("acme/pkgs", k_url));
    auto restored = config->restore_self_closing("packageSources", *text);
    REQUIRE(restored);
    CHECK_FALSE(*restored);
    CHECK(config->has_key("mine"));
}

TEST_CASE("NuGetConfig::user_config_path: DOTNET_CLI_HOME first, as NuGet reads it",
          "[config][nuget_config]") {
    EnvironmentVariableGuard home("HOME", "/home/someone");
    {
        EnvironmentVariableGuard cli_home("DOTNET_CLI_HOME", "/srv/dotnet-home");
        CHECK(NuGetConfig::user_config_path() == "/srv/dotnet-home/.nuget/NuGet/NuGet.Config");
    }
    EnvironmentVariableGuard unset("DOTNET_CLI_HOME", nullptr);
    CHECK(NuGetConfig::user_config_path() == "/home/someone/.nuget/NuGet/NuGet.Config");
}
