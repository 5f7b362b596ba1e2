// SPDX-License-Identifier: MIT
#include <agent/util/arguments.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

using namespace feedz;
using feedz::Arguments;
using feedz::OptionSpec;
using feedz::parse_arguments;

namespace {

// A mutable argv built from strings: "feedz-agent", the command, then `args`.
class Argv {
public:
    explicit Argv(std::vector<std::string> args, std::string command = "login")
        : m_storage{"feedz-agent", std::move(command)} {
        for (auto& arg : args) {
            m_storage.push_back(std::move(arg));
        }
        for (auto& arg : m_storage) {
            m_pointers.push_back(arg.data());
        }
        m_pointers.push_back(nullptr);
    }

    Argv(const Argv&) = delete;
    Argv& operator=(const Argv&) = delete;

    int argc() const { return static_cast<int>(m_storage.size()); }

    char** argv() { return m_pointers.data(); }

    std::string at(int index) const { return m_pointers[static_cast<std::size_t>(index)]; }

private:
    std::vector<std::string> m_storage;
    std::vector<char*> m_pointers;
};

const std::vector<OptionSpec> k_login_specs = {
    {"pat", true, false},
    {"pat-stdin", false, false},
    {"feed", true, true},
    {"name", true, false},
    {"access", true, false},
    {"expires", true, false},
    {"no-verify", false, false},
    {"json", false, false},
};

Arguments parsed(Argv& argv, const std::vector<OptionSpec>& specs = k_login_specs) {
    auto arguments = parse_arguments(argv.argc(), argv.argv(), 2, "login", specs);
    if (!arguments) {
        INFO("error: " << arguments.error().message);
        REQUIRE(arguments.has_value());
    }
    return std::move(*arguments);
}

Error refused(Argv& argv, const std::vector<OptionSpec>& specs = k_login_specs) {
    auto arguments = parse_arguments(argv.argc(), argv.argv(), 2, "login", specs);
    REQUIRE_FALSE(arguments.has_value());
    CHECK(arguments.error().code == Errc::invalid_argument);
    CHECK_THAT(arguments.error().message, Catch::EndsWith("; see `feedz-agent login --help`"));
    return arguments.error();
}

} // namespace

TEST_CASE("parse_arguments: no arguments give no options and no positionals", "[cli][arguments]") {
    Argv argv({});
    Arguments arguments = parsed(argv);
    CHECK(arguments.positional().empty());
    CHECK_FALSE(arguments.has("json"));
    CHECK_FALSE(arguments.value("name").has_value());
    CHECK(arguments.values("feed").empty());
    CHECK_FALSE(arguments.argv_index("name").has_value());
}

TEST_CASE("parse_arguments: flags are present or absent", "[cli][arguments]") {
    Argv argv({"--json", "--no-verify"});
    Arguments arguments = parsed(argv);
    CHECK(arguments.has("json"));
    CHECK(arguments.has("no-verify"));
    CHECK_FALSE(arguments.has("pat-stdin"));
    CHECK_FALSE(arguments.argv_index("json").has_value());
    CHECK(arguments.positional().empty());
}

TEST_CASE("parse_arguments: an option takes the next argument as its value", "[cli][arguments]") {
    Argv argv({"--name", "laptop", "--access", "read-write"});
    Arguments arguments = parsed(argv);
    CHECK(arguments.has("name"));
    CHECK(arguments.value("name") == "laptop");
    CHECK(arguments.value("access") == "read-write");
    REQUIRE(arguments.argv_index("name").has_value());
    CHECK(*arguments.argv_index("name") == 3);
    CHECK(argv.at(3) == "laptop");
    CHECK(arguments.argv_index("access") == 5);
    CHECK(arguments.positional().empty());
}

TEST_CASE("parse_arguments: --opt=value gives the value inline", "[cli][arguments]") {
    Argv argv({"--name=laptop", "--expires=2026-12-31", "--access=", "--feed=a=b"});
    Arguments arguments = parsed(argv);
    CHECK(arguments.value("name") == "laptop");
    CHECK(arguments.value("expires") == "2026-12-31");
    CHECK(arguments.value("access") == "");
    CHECK(arguments.has("access"));
    CHECK(arguments.value("feed") == "a=b");
    // The index is that of the "--opt=value" argument, which holds the value.
    CHECK(arguments.argv_index("name") == 2);
    CHECK(argv.at(2) == "--name=laptop");
}

TEST_CASE("parse_arguments: a value may look like anything but an option", "[cli][arguments]") {
    Argv argv({"--name", "-", "--expires", "", "--feed", "https://f.feedz.io/a/b/?x=--y"});
    Arguments arguments = parsed(argv);
    CHECK(arguments.value("name") == "-");
    CHECK(arguments.value("expires") == "");
    CHECK(arguments.value("feed") == "https://f.feedz.io/a/b/?x=--y");
}

TEST_CASE("parse_arguments: a repeatable option collects every value in order",
          "[cli][arguments]") {
    Argv argv({"--feed", "acme/one", "--feed=acme/two", "--json", "--feed", "acme/three"});
    Arguments arguments = parsed(argv);
    CHECK(arguments.values("feed")
          == std::vector<std::string>{"acme/one", "acme/two", "acme/three"});
    CHECK(arguments.value("feed") == "acme/three");
    CHECK(arguments.argv_index("feed") == 3);
    CHECK(arguments.has("json"));
}

TEST_CASE("parse_arguments: a non-repeatable option given twice is a usage error",
          "[cli][arguments]") {
    for (const auto& args : {std::vector<std::string>{"--name", "a", "--name", "b"},
                             std::vector<std::string>{"--name=a", "--name=a"},
                             std::vector<std::string>{"--json", "--json"},
                             std::vector<std::string>{"--pat", "x", "--pat=y"}}) {
        Argv argv(args);
        Error error = refused(argv);
        CHECK_THAT(error.message, Catch::Contains("' given twice"));
        CHECK_THAT(error.message, Catch::StartsWith("option '--"));
    }
}

TEST_CASE("parse_arguments: an unknown option is a usage error naming it and the command",
          "[cli][arguments]") {
    Argv argv({"--name", "laptop", "--bogus"});
    Error error = refused(argv);
    CHECK(error.message == "unknown option '--bogus' for 'login'; see `feedz-agent login --help`");
}

TEST_CASE("parse_arguments: the message for an unknown option does not repeat its value",
          "[cli][arguments]") {
    // "--token=SECRET" instead of "--pat=SECRET": the secret must not be echoed.
    Argv argv({"--token=T-Qx7Vb2Kp9Lm3Nz4Rt8Wy"});
    Error error = refused(argv);
    CHECK_THAT(error.message, Catch::Contains("'--token'"));
    CHECK_THAT(error.message, !Catch::Contains("Qx7Vb2"));
}

TEST_CASE("parse_arguments: short options are unknown", "[cli][arguments]") {
    for (const char* arg : {"-x", "-h", "-pat", "-1"}) {
        Argv argv({"laptop", arg});
        Error error = refused(argv);
        CHECK(error.message
              == "unknown option '" + std::string(arg)
                     + "' for 'login'; see `feedz-agent login --help`");
    }
}

TEST_CASE("parse_arguments: an option without its value is a usage error", "[cli][arguments]") {
    Argv argv({"--json", "--name"});
    Error error = refused(argv);
    CHECK_THAT(error.message, Catch::StartsWith("option '--name' needs a value"));
}

TEST_CASE("parse_arguments: a flag given a value is a usage error that does not repeat the value",
          "[cli][arguments]") {
    Argv argv({"--json=T-Qx7Vb2Kp9Lm3Nz4Rt8Wy"});
    Error error = refused(argv);
    CHECK_THAT(error.message, Catch::StartsWith("option '--json' takes no value"));
    CHECK_THAT(error.message, !Catch::Contains("Qx7Vb2"));
}

TEST_CASE("parse_arguments: everything after -- is positional", "[cli][arguments]") {
    Argv argv({"--json", "--", "--name", "x", "-v", "--", "--help", "dotnet"});
    Arguments arguments = parsed(argv);
    CHECK(arguments.has("json"));
    CHECK_FALSE(arguments.has("name"));
    CHECK_FALSE(arguments.has("help"));
    CHECK(arguments.positional()
          == std::vector<std::string>{"--name", "x", "-v", "--", "--help", "dotnet"});
}

TEST_CASE("parse_arguments: -- at the end leaves nothing positional", "[cli][arguments]") {
    Argv argv({"--json", "--"});
    Arguments arguments = parsed(argv);
    CHECK(arguments.positional().empty());
}

TEST_CASE("parse_arguments: positional arguments keep their order around options",
          "[cli][arguments]") {
    Argv argv({"first", "--json", "second", "--name", "laptop", "third", "-", ""});
    Arguments arguments = parsed(argv);
    CHECK(arguments.positional() == std::vector<std::string>{"first", "second", "third", "-", ""});
    CHECK(arguments.value("name") == "laptop");
}

TEST_CASE("parse_arguments: --help is accepted for every command", "[cli][arguments]") {
    Argv argv({"laptop", "--help"});
    Arguments arguments = parsed(argv, {});
    CHECK(arguments.has("help"));
    CHECK(arguments.positional() == std::vector<std::string>{"laptop"});
    // --help does not excuse an unknown option.
    Argv bad({"--help", "--bogus"});
    refused(bad, {});
}

TEST_CASE("parse_arguments: arguments before the first index are not parsed", "[cli][arguments]") {
    Argv argv({"--name", "laptop"}, "--not-an-option");
    Arguments arguments = parsed(argv);
    CHECK(arguments.value("name") == "laptop");
    CHECK(arguments.positional().empty());
    // From index 1 the command itself is an unknown option.
    auto from_one = parse_arguments(argv.argc(), argv.argv(), 1, "login", k_login_specs);
    REQUIRE_FALSE(from_one.has_value());
    CHECK(from_one.error().code == Errc::invalid_argument);
    // From past the end nothing is parsed.
    auto past = parse_arguments(argv.argc(), argv.argv(), argv.argc(), "login", k_login_specs);
    REQUIRE(past.has_value());
    CHECK(past->positional().empty());
}

TEST_CASE("parse_arguments: the command name appears in every usage message", "[cli][arguments]") {
    Argv argv({"--bogus"}, "logout");
    auto arguments =
        parse_arguments(argv.argc(), argv.argv(), 2, "logout", {{"all", false, false}});
    REQUIRE_FALSE(arguments.has_value());
    CHECK(arguments.error().message
          == "unknown option '--bogus' for 'logout'; see `feedz-agent logout --help`");
}

TEST_CASE("Arguments: wipe clears the stored values of an option", "[cli][arguments]") {
    Argv argv({"--pat", "T-Qx7Vb2Kp9Lm3Nz4Rt8Wy", "--name", "laptop"});
    Arguments arguments = parsed(argv);
    REQUIRE(arguments.value("pat") == "T-Qx7Vb2Kp9Lm3Nz4Rt8Wy");
    auto index = arguments.argv_index("pat");
    REQUIRE(index == 3);
    arguments.wipe("pat");
    CHECK(arguments.value("pat") == "");
    CHECK(arguments.has("pat"));
    // Only the stored copy: the caller wipes argv through argv_index.
    CHECK(argv.at(*index) == "T-Qx7Vb2Kp9Lm3Nz4Rt8Wy");
    CHECK(arguments.argv_index("pat") == 3);
    CHECK(arguments.value("name") == "laptop");
    arguments.wipe("not-given"); // nothing to do
}

TEST_CASE("Arguments: wipe clears every value of a repeatable option", "[cli][arguments]") {
    Argv argv({"--feed", "one", "--feed", "two"});
    Arguments arguments = parsed(argv);
    arguments.wipe("feed");
    CHECK(arguments.values("feed") == std::vector<std::string>{"", ""});
}
