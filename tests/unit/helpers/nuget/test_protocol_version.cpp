// SPDX-License-Identifier: MIT
#include <helpers/nuget/protocol_version.hpp>

#include <catch2/catch.hpp>

using namespace feedz::nuget;

TEST_CASE("parse_protocol_version: SemVer with optional prerelease and build", "[nuget][version]") {
    auto version = parse_protocol_version("2.0.0");
    REQUIRE(version);
    CHECK(version->major == 2);
    CHECK(version->minor == 0);
    CHECK(version->patch == 0);
    CHECK(parse_protocol_version("1.2.3-beta.1+build.5"));
    CHECK(parse_protocol_version("10.20.30"));
    for (const char* bad : {"",
                            "2",
                            "2.0",
                            "2.0.0.0",
                            "v2.0.0",
                            "2.0.x",
                            "02.0.0",
                            "2.0.0-",
                            "2.0.0+",
                            "2..0",
                            "-1.0.0",
                            " 2.0.0"}) {
        INFO(bad);
        CHECK_FALSE(parse_protocol_version(bad));
    }
}

TEST_CASE("ProtocolVersion: ordering, a release after its prereleases", "[nuget][version]") {
    auto v = [](const char* text) {
        return *parse_protocol_version(text);
    };
    CHECK(v("1.0.0") < v("2.0.0"));
    CHECK(v("2.0.0") < v("2.0.1"));
    CHECK(v("2.1.0") > v("2.0.9"));
    CHECK(v("2.0.0-beta") < v("2.0.0"));
    CHECK(v("2.0.0-alpha") < v("2.0.0-beta"));
    CHECK(v("2.0.0+a") == v("2.0.0+b"));
}

TEST_CASE("negotiate_protocol_version: the lower current version when the ranges overlap",
          "[nuget][version]") {
    CHECK(negotiate_protocol_version("2.0.0", "1.0.0") == "2.0.0");
    CHECK(negotiate_protocol_version("3.0.0", "1.0.0") == "2.0.0");
    CHECK(negotiate_protocol_version("3.0.0", "2.0.0") == "2.0.0");
    CHECK(negotiate_protocol_version("1.0.0", "1.0.0") == "1.0.0");
    CHECK(negotiate_protocol_version("1.5.0", "1.0.0") == "1.5.0");
    CHECK_FALSE(negotiate_protocol_version("4.0.0", "3.0.0"));
    CHECK_FALSE(negotiate_protocol_version("0.9.0", "0.1.0"));
    CHECK_FALSE(negotiate_protocol_version("1.0.0", "2.0.0")); // minimum above version
    CHECK_FALSE(negotiate_protocol_version("x", "1.0.0"));
    CHECK_FALSE(negotiate_protocol_version("2.0.0", ""));
}
