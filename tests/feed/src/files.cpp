// SPDX-License-Identifier: MIT
#include "files.hpp"

#include "error.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

namespace feed {

namespace {

std::string describe_errno(const std::string& what, const std::filesystem::path& path) {
    return what + " " + path.string() + ": " + std::strerror(errno);
}

} // namespace

std::optional<std::string> read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::error_code ec;
        if (!std::filesystem::exists(path, ec)) {
            return std::nullopt;
        }
        throw FeedError("cannot read " + path.string());
    }
    std::ostringstream content;
    content << in.rdbuf();
    if (in.bad()) {
        throw FeedError("cannot read " + path.string());
    }
    return content.str();
}

void write_file_atomic(const std::filesystem::path& path, std::string_view data) {
    std::filesystem::create_directories(path.parent_path());
    std::random_device random;
    auto temp = path;
    temp += ".tmp." + std::to_string(getpid()) + "." + std::to_string(random());
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        throw FeedError(describe_errno("cannot create", temp));
    }
    std::size_t written = 0;
    while (written < data.size()) {
        ssize_t n = ::write(fd, data.data() + written, data.size() - written);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            auto message = describe_errno("cannot write", temp);
            ::close(fd);
            ::unlink(temp.c_str());
            throw FeedError(message);
        }
        written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        auto message = describe_errno("cannot write", temp);
        ::unlink(temp.c_str());
        throw FeedError(message);
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        auto message = describe_errno("cannot rename " + temp.string() + " to", path);
        ::unlink(temp.c_str());
        throw FeedError(message);
    }
}

FileLock::FileLock(const std::filesystem::path& path)
    : m_fd(-1) {
    std::filesystem::create_directories(path.parent_path());
    m_fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (m_fd < 0) {
        throw FeedError(describe_errno("cannot open lock file", path));
    }
    while (::flock(m_fd, LOCK_EX) != 0) {
        if (errno != EINTR) {
            auto message = describe_errno("cannot lock", path);
            ::close(m_fd);
            throw FeedError(message);
        }
    }
}

FileLock::~FileLock() {
    ::close(m_fd);
}

} // namespace feed
