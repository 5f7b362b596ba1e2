// SPDX-License-Identifier: MIT
#include "unix_socket.hpp"

#include <cstring>

namespace feedz {

Result<sockaddr_un> unix_socket_address(const std::string& path) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.size() >= sizeof(address.sun_path)) {
        return make_error(Errc::invalid_argument,
                          "socket path " + path + " is longer than "
                              + std::to_string(sizeof(address.sun_path) - 1)
                              + " bytes; set FEEDZ_AGENT_SOCKET to a shorter path");
    }
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
    return address;
}

} // namespace feedz
