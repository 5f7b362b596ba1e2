// SPDX-License-Identifier: MIT
#pragma once

#include <agent/util/fd.hpp>
#include <agent/util/result.hpp>

#include <nlohmann/json.hpp>

#include <mutex>
#include <string>

namespace feedz {

// Who asked the agent for what: one JSON object per line with the time, the client's pid, uid
// and executable, the request and the decision. Tokens appear only by their prefix. The file
// is 0600 and rotated to `<path>.1` past a size limit.
class AuditLog {
public:
    // An audit log at `path`; an empty path logs nothing.
    static Result<AuditLog> open(const std::string& path);

    AuditLog(AuditLog&& other) noexcept;
    AuditLog& operator=(AuditLog&&) = delete;

    // Appends `entry` with a "time" field added.
    void record(nlohmann::json entry);

    const std::string& path() const { return m_path; }

private:
    AuditLog(std::string path, Fd fd);

    void rotate_locked();

    std::string m_path;
    Fd m_fd;
    std::mutex m_mutex;
    std::size_t m_size = 0;
};

inline constexpr std::size_t k_audit_log_rotate_bytes = 8 * 1024 * 1024;

} // namespace feedz
