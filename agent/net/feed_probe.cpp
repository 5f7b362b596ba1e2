// SPDX-License-Identifier: MIT
#include "feed_probe.hpp"

#include <agent/core/paths.hpp>
#include <agent/ipc/protocol.hpp>
#include <agent/util/fd.hpp>
#include <agent/util/file.hpp>
#include <agent/util/system_error.hpp>

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

extern char** environ;

namespace feedz {

namespace {

std::string helper_path() {
    char path[PATH_MAX];
    ssize_t length = ::readlink("/proc/self/exe", path, sizeof(path) - 1);
    std::string directory =
        length > 0 ? parent_directory(std::string(path, static_cast<std::size_t>(length))) : ".";
    return directory + "/feedz-agent-https";
}

Result<void> write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return make_error(Errc::io_error,
                              "cannot talk to feedz-agent-https: " + errno_text(errno));
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return {};
}

} // namespace

Result<ProbeAnswer>
probe_with_token(const std::string& url, const SecretString& token, std::chrono::seconds timeout) {
    std::string helper = helper_path();
    if (::access(helper.c_str(), X_OK) != 0) {
        return make_error(Errc::io_error,
                          helper
                              + " is missing or not executable, so the feed cannot be "
                                "asked; reinstall feedz-agent");
    }
    int input[2];
    int output[2];
    if (::pipe2(input, O_CLOEXEC) != 0 || ::pipe2(output, O_CLOEXEC) != 0) {
        return make_error(Errc::io_error, "cannot create a pipe: " + errno_text(errno));
    }
    Fd to_child(input[1]);
    Fd child_stdin(input[0]);
    Fd from_child(output[0]);
    Fd child_stdout(output[1]);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, child_stdin.get(), 0);
    posix_spawn_file_actions_adddup2(&actions, child_stdout.get(), 1);
    std::string program = helper;
    char* argv[] = {program.data(), nullptr};
    pid_t pid = 0;
    int spawned = ::posix_spawn(&pid, helper.c_str(), &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    child_stdin.reset();
    child_stdout.reset();
    if (spawned != 0) {
        return make_error(Errc::io_error, "cannot run " + helper + ": " + errno_text(spawned));
    }
    // The URL and the timeout on a line each, then the token: never in argv, where `ps` shows it.
    ::signal(SIGPIPE, SIG_IGN);
    auto sent = write_all(to_child.get(), url + "\n" + std::to_string(timeout.count()) + "\n");
    if (sent) {
        sent = write_all(to_child.get(), token.view());
    }
    to_child.reset();
    std::string reply;
    char buffer[4096];
    for (ssize_t n; (n = ::read(from_child.get(), buffer, sizeof(buffer))) != 0;) {
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            break;
        }
        reply.append(buffer, static_cast<std::size_t>(n));
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!sent) {
        return sent.error();
    }
    auto json = nlohmann::json::parse(reply, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
        return make_error(Errc::io_error,
                          helper + " gave no answer (exit status " + std::to_string(status) + ")");
    }
    if (auto error = json.find("error"); error != json.end() && error->is_object()) {
        // feedz-agent-https comes from the same build: a code it sends that we do not know
        // is a bug of ours.
        return make_error(
            errc_from_string(error->value("code", "io_error")).value_or(Errc::internal),
            error->value("message", "the request failed"));
    }
    ProbeAnswer answer{json.value("status", 0), json.value("reason", ""), {}};
    if (auto date = json.find("date"); date != json.end() && date->is_number_integer()) {
        answer.date =
            std::chrono::system_clock::time_point(std::chrono::seconds(date->get<long>()));
    }
    return answer;
}

} // namespace feedz
