// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <mutex>
#include <string>

namespace feed {

// One request as the log records it. Never the token: only its 7-character prefix.
struct RequestLogEntry {
    std::string time;
    std::string method;
    std::string path;
    std::string scheme;
    std::string username;
    std::string token_prefix;
    int status = 0;
};

// Appends one JSON line per request to DIR/requests.log; each line is written with a single
// write(2) on an O_APPEND descriptor, so lines from parallel requests never interleave.
class RequestLog {
public:
    explicit RequestLog(const std::filesystem::path& file);
    ~RequestLog();
    RequestLog(const RequestLog&) = delete;
    RequestLog& operator=(const RequestLog&) = delete;

    void append(const RequestLogEntry& entry);

    static std::string format(const RequestLogEntry& entry);

private:
    std::mutex m_mutex;
    int m_fd;
};

} // namespace feed
