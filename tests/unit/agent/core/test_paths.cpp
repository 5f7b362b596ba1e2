// SPDX-License-Identifier: MIT
#include "environment_guard.hpp"
#include "scratch_directory.hpp"
#include <agent/core/paths.hpp>

#include <catch2/catch.hpp>

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

using namespace feedz;

namespace {

mode_t mode_of(const std::string& path) {
    struct stat st {};

    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

} // namespace

TEST_CASE("paths: the home directory is $HOME", "[core][paths]") {
    EnvironmentVariableGuard home("HOME", "/home/someone");
    CHECK(home_directory() == "/home/someone");
}

TEST_CASE("paths: the state directory follows XDG_STATE_HOME, else ~/.local/state",
          "[core][paths]") {
    EnvironmentVariableGuard home("HOME", "/home/someone");
    SECTION("set") {
        EnvironmentVariableGuard state("XDG_STATE_HOME", "/var/state");
        CHECK(state_directory() == "/var/state/feedz-agent");
    }
    SECTION("unset") {
        EnvironmentVariableGuard state("XDG_STATE_HOME", nullptr);
        CHECK(state_directory() == "/home/someone/.local/state/feedz-agent");
    }
    SECTION("empty") {
        EnvironmentVariableGuard state("XDG_STATE_HOME", "");
        CHECK(state_directory() == "/home/someone/.local/state/feedz-agent");
    }
    SECTION("relative, which the XDG specification says to ignore") {
        EnvironmentVariableGuard state("XDG_STATE_HOME", "relative/state");
        CHECK(state_directory() == "/home/someone/.local/state/feedz-agent");
    }
}

TEST_CASE("paths: the socket is FEEDZ_AGENT_SOCKET, else in XDG_RUNTIME_DIR, else in the state "
          "directory",
          "[core][paths]") {
    EnvironmentVariableGuard home("HOME", "/home/someone");
    EnvironmentVariableGuard state("XDG_STATE_HOME", nullptr);
    SECTION("FEEDZ_AGENT_SOCKET wins") {
        EnvironmentVariableGuard socket("FEEDZ_AGENT_SOCKET", "/tmp/custom.sock");
        EnvironmentVariableGuard runtime("XDG_RUNTIME_DIR", "/run/user/1000");
        CHECK(agent_socket_path() == "/tmp/custom.sock");
    }
    SECTION("XDG_RUNTIME_DIR next") {
        EnvironmentVariableGuard socket("FEEDZ_AGENT_SOCKET", nullptr);
        EnvironmentVariableGuard runtime("XDG_RUNTIME_DIR", "/run/user/1000");
        CHECK(agent_socket_path() == "/run/user/1000/feedz-agent/agent.sock");
    }
    SECTION("the state directory last") {
        EnvironmentVariableGuard socket("FEEDZ_AGENT_SOCKET", "");
        EnvironmentVariableGuard runtime("XDG_RUNTIME_DIR", nullptr);
        CHECK(agent_socket_path() == "/home/someone/.local/state/feedz-agent/agent.sock");
    }
    SECTION("a relative XDG_RUNTIME_DIR is ignored") {
        EnvironmentVariableGuard socket("FEEDZ_AGENT_SOCKET", nullptr);
        EnvironmentVariableGuard runtime("XDG_RUNTIME_DIR", "run/user/1000");
        CHECK(agent_socket_path() == "/home/someone/.local/state/feedz-agent/agent.sock");
    }
}

TEST_CASE("ensure_private_directory: creates the directory 0700 with its parents",
          "[core][paths]") {
    ScratchDirectory dir;
    const std::string path = dir.path("state/feedz-agent");
    REQUIRE(ensure_private_directory(path).has_value());
    CHECK(mode_of(path) == 0700);
    CHECK(mode_of(dir.path("state")) == 0700);
    // Again: it is already there and fine.
    CHECK(ensure_private_directory(path).has_value());
}

TEST_CASE("ensure_private_directory: a directory others can reach is refused with the fix",
          "[core][paths]") {
    ScratchDirectory dir;
    const std::string path = dir.path("agent");
    for (mode_t mode : {mode_t(0755), mode_t(0750), mode_t(0701), mode_t(0707)}) {
        REQUIRE(::mkdir(path.c_str(), 0700) == 0);
        REQUIRE(::chmod(path.c_str(), mode) == 0);
        auto checked = ensure_private_directory(path);
        INFO("mode " << mode);
        REQUIRE_FALSE(checked.has_value());
        CHECK(checked.error().code == Errc::permission_denied);
        CHECK_THAT(checked.error().message, Catch::Contains("chmod 700 " + path));
        REQUIRE(::rmdir(path.c_str()) == 0);
    }
}

TEST_CASE("ensure_private_directory: a symlink in place of the directory is refused",
          "[core][paths]") {
    ScratchDirectory dir;
    REQUIRE(::mkdir(dir.path("real").c_str(), 0700) == 0);
    const std::string path = dir.path("agent");
    REQUIRE(::symlink(dir.path("real").c_str(), path.c_str()) == 0);
    auto checked = ensure_private_directory(path);
    REQUIRE_FALSE(checked.has_value());
    CHECK(checked.error().code == Errc::permission_denied);
    CHECK_THAT(checked.error().message, Catch::Contains("not a directory"));
}

TEST_CASE("ensure_private_directory: a file in place of the directory is refused",
          "[core][paths]") {
    ScratchDirectory dir;
    const std::string path = dir.path("agent");
    FILE* file = std::fopen(path.c_str(), "w");
    REQUIRE(file != nullptr);
    std::fclose(file);
    auto checked = ensure_private_directory(path);
    REQUIRE_FALSE(checked.has_value());
    CHECK(checked.error().code == Errc::permission_denied);
}

TEST_CASE("ensure_private_directory: a directory owned by another user is refused",
          "[core][paths]") {
    if (::getuid() != 0) {
        // Without root no directory can be given away, but "/" belongs to root.
        auto checked = ensure_private_directory("/");
        REQUIRE_FALSE(checked.has_value());
        CHECK(checked.error().code == Errc::permission_denied);
        CHECK_THAT(checked.error().message, Catch::Contains("belongs to uid 0"));
        return;
    }
    ScratchDirectory dir;
    const std::string path = dir.path("agent");
    REQUIRE(::mkdir(path.c_str(), 0700) == 0);
    REQUIRE(::chown(path.c_str(), 65534, 65534) == 0);
    auto checked = ensure_private_directory(path);
    REQUIRE_FALSE(checked.has_value());
    CHECK(checked.error().code == Errc::permission_denied);
    CHECK_THAT(checked.error().message, Catch::Contains("belongs to uid 65534"));
    CHECK_THAT(checked.error().message, Catch::Contains("FEEDZ_AGENT_SOCKET"));
}
