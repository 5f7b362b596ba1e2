// SPDX-License-Identifier: MIT
#include "request_log.hpp"

#include "error.hpp"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace feed {

RequestLog::RequestLog(const std::filesystem::path& file)
    : m_fd(::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600)) {
    if (m_fd < 0) {
        throw FeedError("cannot open request log " + file.string() + ": " + std::strerror(errno));
    }
}

RequestLog::~RequestLog() {
    ::close(m_fd);
}

std::string RequestLog::format(const RequestLogEntry& entry) {
    nlohmann::ordered_json line = {
        {"time", entry.time},
        {"method", entry.method},
        {"path", entry.path},
        {"auth", entry.scheme},
        {"username", entry.username},
        {"token_prefix", entry.token_prefix},
        {"status", entry.status},
    };
    return line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

void RequestLog::append(const RequestLogEntry& entry) {
    auto line = format(entry);
    std::lock_guard lock(m_mutex);
    // A lost log line must not fail the request; the tests that read the log would notice.
    [[maybe_unused]] auto written = ::write(m_fd, line.data(), line.size());
}

} // namespace feed
