// SPDX-License-Identifier: MIT
#pragma once

#include <mutex>
#include <string_view>

namespace feedz::nuget {

// Writes whole lines to a file descriptor (the plugin's stdout), one at a time: callers on
// several threads (responses, Progress, Log) never interleave. Each line goes out at once; there
// is no user-space buffer to flush. After a failed write (EPIPE: NuGet is gone) every later
// write fails too.
class LineWriter {
public:
    explicit LineWriter(int fd)
        : m_fd(fd) {}

    // Writes `line` and a "\n"; false when the output is broken.
    bool write_line(std::string_view line);

    // Writes `bytes` as they are (a line that already ends in "\n").
    bool write_raw(std::string_view bytes);

    bool broken() const;

private:
    bool write_all(std::string_view bytes);

    int m_fd;
    mutable std::mutex m_mutex;
    bool m_broken = false;
};

} // namespace feedz::nuget
