// SPDX-License-Identifier: MIT
#include "audit_log.hpp"

#include <agent/core/token.hpp>
#include <agent/util/file.hpp>
#include <agent/util/system_error.hpp>

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>

namespace feedz {

namespace {

Result<Fd> open_log_file(const std::string& path) {
    Fd fd(::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!fd) {
        return make_error(Errc::io_error,
                          "cannot open the audit log " + path + ": " + errno_text(errno));
    }
    return fd;
}

} // namespace

AuditLog::AuditLog(std::string path, Fd fd)
    : m_path(std::move(path))
    , m_fd(std::move(fd)) {
    struct stat st {};

    if (m_fd && ::fstat(m_fd.get(), &st) == 0) {
        m_size = static_cast<std::size_t>(st.st_size);
    }
}

AuditLog::AuditLog(AuditLog&& other) noexcept
    : m_path(std::move(other.m_path))
    , m_fd(std::move(other.m_fd))
    , m_size(other.m_size) {}

Result<AuditLog> AuditLog::open(const std::string& path) {
    if (path.empty()) {
        return AuditLog("", Fd());
    }
    FEEDZ_TRY(make_directories(parent_directory(path), 0700));
    auto fd = open_log_file(path);
    if (!fd) {
        return fd.error();
    }
    return AuditLog(path, std::move(*fd));
}

void AuditLog::rotate_locked() {
    std::string old_path = m_path + ".1";
    if (::rename(m_path.c_str(), old_path.c_str()) != 0) {
        return;
    }
    if (auto fd = open_log_file(m_path)) {
        m_fd = std::move(*fd);
        m_size = 0;
    }
}

void AuditLog::record(nlohmann::json entry) {
    if (!m_fd) {
        return;
    }
    nlohmann::json line = {{"time",
                            format_timestamp(std::chrono::time_point_cast<std::chrono::seconds>(
                                std::chrono::system_clock::now()))}};
    line.update(entry);
    std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    text += '\n';
    std::lock_guard lock(m_mutex);
    if (m_size + text.size() > k_audit_log_rotate_bytes) {
        rotate_locked();
    }
    // One write() per line with O_APPEND keeps lines whole. A failed audit write must not
    // stop the agent from serving.
    ssize_t written = ::write(m_fd.get(), text.data(), text.size());
    if (written > 0) {
        m_size += static_cast<std::size_t>(written);
    }
}

} // namespace feedz
