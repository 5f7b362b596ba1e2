// SPDX-License-Identifier: MIT
#pragma once

#include "feed_service.hpp"

#include <sys/types.h>

#include <filesystem>

namespace feed {

struct ServeOptions {
    std::filesystem::path data;
    std::filesystem::path port_file;
    std::filesystem::path cert;
    std::filesystem::path key;
    FeedSettings settings;
    // Stop when this process ends (0: never).
    pid_t owner = 0;
};

// Serves HTTPS on 127.0.0.1 on a free port, writes the port to options.port_file once it
// accepts connections, and returns 0 after SIGTERM, SIGINT or SIGHUP, or once options.owner ended.
int serve(const ServeOptions& options);

} // namespace feed
