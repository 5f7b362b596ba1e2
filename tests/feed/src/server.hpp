// SPDX-License-Identifier: MIT
#pragma once

#include "feed_service.hpp"

#include <filesystem>

namespace feed {

struct ServeOptions {
    std::filesystem::path data;
    std::filesystem::path port_file;
    std::filesystem::path cert;
    std::filesystem::path key;
    FeedSettings settings;
};

// Serves HTTPS on 127.0.0.1 on a free port, writes the port to options.port_file once it
// accepts connections, and returns 0 after SIGTERM or SIGINT.
int serve(const ServeOptions& options);

} // namespace feed
