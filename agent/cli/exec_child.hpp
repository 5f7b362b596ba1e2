// SPDX-License-Identifier: MIT
#pragma once

#include <agent/util/result.hpp>
#include <agent/util/secret_string.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace feedz::cli {

// Exit codes of a shell for a command it cannot run.
inline constexpr int k_exit_not_executable = 126;
inline constexpr int k_exit_not_found = 127;

// Where `command` is: itself when it holds a '/', otherwise the first executable of that
// name on `path` (a PATH value). nullopt when there is none.
std::optional<std::string> find_program(std::string_view command, std::string_view path);

// `head` + `secret` + `tail` and a NUL, for the child's environment ("NAME=…"), in memory that
// is wiped when it goes.
SecretString
environment_entry(std::string_view head, std::string_view secret, std::string_view tail = {});

// Runs `program` with `arguments` (argv, program name first) and `environment` ("NAME=value",
// null-terminated) as our child and waits for it. SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1,
// SIGUSR2 and SIGALRM sent to us are passed on to it (those a terminal sends reach it
// directly, being in our process group). Returns its exit status the way a shell reports it:
// the exit code, or 128 + N when signal N killed it.
Result<int> run_child(const std::string& program,
                      const std::vector<std::string>& arguments,
                      const std::vector<char*>& environment);

} // namespace feedz::cli
