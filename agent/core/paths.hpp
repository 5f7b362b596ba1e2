// SPDX-License-Identifier: MIT
#pragma once

#include <agent/util/result.hpp>

#include <string>

namespace feedz {

// The user's home directory ($HOME, else the password database).
std::string home_directory();

// `path` for messages: "~/.npmrc" for $HOME/.npmrc, other paths as they are.
std::string display_path(const std::string& path);

// $XDG_STATE_HOME/feedz-agent (default ~/.local/state/feedz-agent): audit log, managed.json.
std::string state_directory();

// $XDG_CONFIG_HOME (default ~/.config): where pnpm keeps its global auth.ini.
std::string config_home();

// $XDG_DATA_HOME/feedz-agent (default ~/.local/share/feedz-agent): files other programs run,
// such as pnpm's token helpers.
std::string data_directory();

// Where the agent listens: $FEEDZ_AGENT_SOCKET, else $XDG_RUNTIME_DIR/feedz-agent/agent.sock,
// else state_directory()/agent.sock.
std::string agent_socket_path();

// Creates `directory` (and parents) for our private use and checks that it is a real
// directory (not a symlink) owned by us with no access for group or others.
Result<void> ensure_private_directory(const std::string& directory);

} // namespace feedz
