// SPDX-License-Identifier: MIT
#include "paths.hpp"

#include <agent/core/environment.hpp>
#include <agent/util/file.hpp>
#include <agent/util/system_error.hpp>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

namespace feedz {

namespace {

// XDG base directories must be absolute; relative values are ignored (XDG spec).
std::optional<std::string> xdg_directory(std::string_view variable) {
    auto value = get_env(variable);
    if (value && value->front() == '/') {
        return value;
    }
    return std::nullopt;
}

std::string octal(mode_t mode) {
    char buffer[8];
    std::snprintf(buffer, sizeof(buffer), "%04o", static_cast<unsigned>(mode & 07777));
    return buffer;
}

} // namespace

std::string home_directory() {
    if (auto home = get_env("HOME")) {
        return *home;
    }
    if (const passwd* entry = ::getpwuid(::getuid());
        entry != nullptr && entry->pw_dir != nullptr) {
        return entry->pw_dir;
    }
    return "/";
}

std::string state_directory() {
    auto base = xdg_directory("XDG_STATE_HOME").value_or(home_directory() + "/.local/state");
    return base + "/feedz-agent";
}

std::string config_home() {
    return xdg_directory("XDG_CONFIG_HOME").value_or(home_directory() + "/.config");
}

std::string data_directory() {
    auto base = xdg_directory("XDG_DATA_HOME").value_or(home_directory() + "/.local/share");
    return base + "/feedz-agent";
}

std::string agent_socket_path() {
    if (auto socket = get_env(k_env_socket)) {
        return *socket;
    }
    if (auto runtime = xdg_directory("XDG_RUNTIME_DIR")) {
        return *runtime + "/feedz-agent/agent.sock";
    }
    return state_directory() + "/agent.sock";
}

Result<void> ensure_private_directory(const std::string& directory) {
    std::string parent = parent_directory(directory);
    FEEDZ_TRY(make_directories(parent, 0700));
    if (::mkdir(directory.c_str(), 0700) != 0 && errno != EEXIST) {
        return make_error(Errc::io_error,
                          "cannot create directory " + directory + ": " + errno_text(errno));
    }

    struct stat st {};

    if (::lstat(directory.c_str(), &st) != 0) {
        return make_error(Errc::io_error, "cannot inspect " + directory + ": " + errno_text(errno));
    }
    if (!S_ISDIR(st.st_mode)) {
        return make_error(Errc::permission_denied,
                          directory
                              + " is not a directory (a symlink?); remove it so feedz-agent can "
                                "create a private one");
    }
    if (st.st_uid != ::getuid()) {
        return make_error(Errc::permission_denied,
                          directory + " belongs to uid " + std::to_string(st.st_uid)
                              + ", not to you (uid " + std::to_string(::getuid())
                              + "); remove it or set FEEDZ_AGENT_SOCKET elsewhere");
    }
    if ((st.st_mode & 077) != 0) {
        return make_error(Errc::permission_denied,
                          directory + " has mode " + octal(st.st_mode)
                              + ", so other users could reach the agent; run: chmod 700 "
                              + directory);
    }
    return {};
}

std::string display_path(const std::string& path) {
    std::string home = home_directory();
    return !home.empty() && path.starts_with(home + "/") ? "~" + path.substr(home.size()) : path;
}

} // namespace feedz
