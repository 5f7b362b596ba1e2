// SPDX-License-Identifier: MIT
#pragma once

#include <agent/util/result.hpp>

#include <sys/socket.h>
#include <sys/un.h>

#include <string>

namespace feedz {

// The address of the Unix socket at `path`; paths that do not fit sun_path (107 bytes) are
// an error that says how to choose a shorter one.
Result<sockaddr_un> unix_socket_address(const std::string& path);

} // namespace feedz
