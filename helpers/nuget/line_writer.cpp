// SPDX-License-Identifier: MIT
#include "line_writer.hpp"

#include <unistd.h>

#include <cerrno>
#include <string>

namespace feedz::nuget {

bool LineWriter::write_line(std::string_view line) {
    std::string bytes;
    bytes.reserve(line.size() + 1);
    bytes.append(line);
    bytes += '\n';
    return write_raw(bytes);
}

bool LineWriter::write_raw(std::string_view bytes) {
    std::lock_guard lock(m_mutex);
    if (m_broken) {
        return false;
    }
    if (!write_all(bytes)) {
        m_broken = true;
    }
    return !m_broken;
}

bool LineWriter::broken() const {
    std::lock_guard lock(m_mutex);
    return m_broken;
}

bool LineWriter::write_all(std::string_view bytes) {
    while (!bytes.empty()) {
        ssize_t n = ::write(m_fd, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

} // namespace feedz::nuget
