// SPDX-License-Identifier: MIT
#include "file.hpp"

#include <agent/util/system_error.hpp>

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>
#include <vector>

namespace feedz {

namespace {

Error io_error(const std::string& what, const std::string& path, int error_number) {
    return make_error(Errc::io_error, what + " " + path + ": " + errno_text(error_number));
}

} // namespace

Result<void> write_all(int fd, std::string_view data, const std::string& path) {
    while (!data.empty()) {
        ssize_t written = ::write(fd, data.data(), data.size());
        if (written < 0) {
            if (errno == EINTR) {
                continue;
            }
            return io_error("cannot write", path, errno);
        }
        data.remove_prefix(static_cast<std::size_t>(written));
    }
    return {};
}

namespace {

Result<void> fsync_directory(const std::string& directory) {
    Fd dir(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!dir || ::fsync(dir.get()) != 0) {
        return io_error("cannot sync directory", directory, errno);
    }
    return {};
}

} // namespace

namespace {

const char* file_type_name(mode_t mode) {
    if (S_ISFIFO(mode)) {
        return "a FIFO";
    }
    if (S_ISDIR(mode)) {
        return "a directory";
    }
    if (S_ISCHR(mode) || S_ISBLK(mode)) {
        return "a device";
    }
    if (S_ISSOCK(mode)) {
        return "a socket";
    }
    return "not a file";
}

struct OpenedFile {
    Fd fd;
    std::size_t size = 0;
};

// Opens `path` for reading only if it is a regular file of at most `max_size` bytes; nullopt
// when it does not exist. O_NONBLOCK so that a FIFO (or a device) put where a configuration
// file belongs cannot hang the open; it is cleared again once fstat shows a regular file.
Result<std::optional<OpenedFile>> open_regular_file(const std::string& path, std::size_t max_size) {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    if (!fd) {
        if (errno == ENOENT) {
            return std::optional<OpenedFile>();
        }
        return io_error("cannot open", path, errno);
    }

    struct stat st {};

    if (::fstat(fd.get(), &st) != 0) {
        return io_error("cannot stat", path, errno);
    }
    if (!S_ISREG(st.st_mode)) {
        return make_error(Errc::io_error,
                          path + " is not a regular file (" + file_type_name(st.st_mode)
                              + "); it was left as it was. Replace it with a regular file, or "
                                "remove it");
    }
    auto size = static_cast<std::size_t>(st.st_size);
    if (size > max_size) {
        return make_error(Errc::io_error,
                          path + " is larger than " + std::to_string(max_size / (1024 * 1024))
                              + " MiB, too large for a configuration file; it was left as it "
                                "was");
    }
    int flags = ::fcntl(fd.get(), F_GETFL);
    if (flags < 0 || ::fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK) != 0) {
        return io_error("cannot read", path, errno);
    }
    return std::optional<OpenedFile>(OpenedFile{std::move(fd), size});
}

// read(2) into `data`, again after a signal; 0 at the end of the file.
Result<std::size_t> read_some(int fd, char* data, std::size_t size, const std::string& path) {
    while (true) {
        ssize_t n = ::read(fd, data, size);
        if (n >= 0) {
            return static_cast<std::size_t>(n);
        }
        if (errno != EINTR) {
            return io_error("cannot read", path, errno);
        }
    }
}

} // namespace

Result<std::optional<SecretString>> read_secret_file(const std::string& path,
                                                     std::size_t max_size) {
    auto opened = open_regular_file(path, max_size);
    if (!opened) {
        return opened.error();
    }
    if (!*opened) {
        return std::optional<SecretString>();
    }
    int fd = (*opened)->fd.get();
    // One byte more than the size, to notice a file that grew since fstat().
    SecretString buffer = SecretString::with_size((*opened)->size + 1);
    std::size_t used = 0;
    while (true) {
        if (used == buffer.size()) {
            if (buffer.size() > max_size) {
                return make_error(Errc::io_error, path + " keeps growing; it was left as it was");
            }
            SecretString bigger = SecretString::with_size(buffer.size() * 2);
            std::memcpy(bigger.data(), buffer.data(), used);
            buffer = std::move(bigger);
        }
        auto n = read_some(fd, buffer.data() + used, buffer.size() - used, path);
        if (!n) {
            return n.error();
        }
        if (*n == 0) {
            break;
        }
        used += *n;
    }
    SecretString content(buffer.view().substr(0, used));
    return std::optional<SecretString>(std::move(content));
}

Result<std::optional<std::string>> read_file(const std::string& path, std::size_t max_size) {
    auto opened = open_regular_file(path, max_size);
    if (!opened) {
        return opened.error();
    }
    if (!*opened) {
        return std::optional<std::string>();
    }
    std::string content;
    content.reserve((*opened)->size);
    char buffer[16384];
    while (true) {
        auto n = read_some((*opened)->fd.get(), buffer, sizeof(buffer), path);
        if (!n) {
            return n.error();
        }
        if (*n == 0) {
            break;
        }
        if (content.size() + *n > max_size) {
            return make_error(Errc::io_error, path + " keeps growing; it was left as it was");
        }
        content.append(buffer, *n);
    }
    return std::optional<std::string>(std::move(content));
}

std::string basename_of(std::string_view path) {
    auto slash = path.rfind('/');
    return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

std::string parent_directory(const std::string& path) {
    auto slash = path.find_last_of('/');
    if (slash == std::string::npos) {
        return ".";
    }
    if (slash == 0) {
        return "/";
    }
    return path.substr(0, slash);
}

Result<void> make_directories(const std::string& path, mode_t mode) {
    if (path.empty()) {
        return {};
    }

    struct stat st {};

    if (::stat(path.c_str(), &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
            return make_error(Errc::io_error, path + " exists and is not a directory");
        }
        return {};
    }
    std::string parent = parent_directory(path);
    if (parent != path && parent != "." && parent != "/") {
        FEEDZ_TRY(make_directories(parent, mode));
    }
    if (::mkdir(path.c_str(), mode) != 0 && errno != EEXIST) {
        return io_error("cannot create directory", path, errno);
    }
    return {};
}

std::string resolve_symlinks(const std::string& path) {
    char resolved[PATH_MAX];
    if (::realpath(path.c_str(), resolved) != nullptr) {
        return resolved;
    }
    // A dangling link (its target not created yet): follow it by hand, so that the target is
    // created and the link stays a link.
    std::string current = path;
    for (int hops = 0; hops < 40; ++hops) {
        struct stat st {};

        if (::lstat(current.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) {
            return current;
        }
        char target[PATH_MAX];
        ssize_t length = ::readlink(current.c_str(), target, sizeof(target) - 1);
        if (length <= 0) {
            return current;
        }
        std::string next(target, static_cast<std::size_t>(length));
        current = next.front() == '/' ? next : parent_directory(current) + "/" + next;
    }
    return path;
}

namespace {

bool is_temporary_suffix_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// The writer's pid when `name` is exactly what AtomicFile::open makes for `target_name`:
// "<target>.tmp.<pid>.XXXXXX". Older versions made "<target>.tmp.XXXXXX", which a user's
// "<target>.tmp.backup" also matches: those are never touched.
std::optional<long> temporary_writer(std::string_view name, std::string_view target_name) {
    std::string prefix = std::string(target_name) + ".tmp.";
    if (!name.starts_with(prefix) || name.size() < prefix.size() + 8) {
        return std::nullopt;
    }
    std::string_view suffix = name.substr(name.size() - 6);
    if (!std::all_of(suffix.begin(), suffix.end(), is_temporary_suffix_char)) {
        return std::nullopt;
    }
    std::string_view pid_text = name.substr(prefix.size(), name.size() - 6 - prefix.size());
    if (pid_text.size() < 2 || pid_text.size() > 11 || pid_text.back() != '.') {
        return std::nullopt;
    }
    pid_text.remove_suffix(1);
    long pid = 0;
    for (char c : pid_text) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        pid = pid * 10 + (c - '0');
    }
    return pid > 0 ? std::optional<long>(pid) : std::nullopt;
}

bool process_is_gone(long pid) {
    return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

// Removes the temporaries a killed writer left next to `path`: ours only (named as open()
// names them, regular files of our user) and stale only (their writer is gone, or untouched
// for an hour, in case its pid was reused since). Best effort: a
// temporary that cannot be removed is no reason not to write.
void remove_stale_temporaries(const std::string& path) {
    constexpr auto k_stale_after = std::chrono::hours(1);
    std::string directory = parent_directory(path);
    std::string target_name = basename_of(path);
    DIR* dir = ::opendir(directory.c_str());
    if (dir == nullptr) {
        return;
    }
    auto now = std::chrono::system_clock::now();
    while (const dirent* entry = ::readdir(dir)) {
        auto writer = temporary_writer(entry->d_name, target_name);
        if (!writer) {
            continue;
        }

        struct stat st {};

        if (::fstatat(::dirfd(dir), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0
            || !S_ISREG(st.st_mode) || st.st_uid != ::geteuid()) {
            continue;
        }
        auto modified = std::chrono::system_clock::from_time_t(st.st_mtime);
        if (process_is_gone(*writer) || now - modified > k_stale_after) {
            ::unlinkat(::dirfd(dir), entry->d_name, 0);
        }
    }
    ::closedir(dir);
}

// Deferrals nest (two AtomicFiles at once, in any order of destruction): the first blocks,
// the last restores.
thread_local int t_deferral_depth = 0;
thread_local sigset_t t_mask_before_deferral;

} // namespace

AtomicFile::SignalDeferral::SignalDeferral() {
    if (t_deferral_depth++ == 0) {
        sigset_t signals;
        sigemptyset(&signals);
        for (int signal_number : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) {
            sigaddset(&signals, signal_number);
        }
        ::pthread_sigmask(SIG_BLOCK, &signals, &t_mask_before_deferral);
    }
}

AtomicFile::SignalDeferral::~SignalDeferral() {
    if (--t_deferral_depth == 0) {
        ::pthread_sigmask(SIG_SETMASK, &t_mask_before_deferral, nullptr);
    }
}

AtomicFile::AtomicFile(std::string path,
                       std::string temp_path,
                       Fd fd,
                       std::unique_ptr<SignalDeferral> deferral)
    : m_path(std::move(path))
    , m_temp_path(std::move(temp_path))
    , m_fd(std::move(fd))
    , m_deferral(std::move(deferral)) {}

Result<void> check_replaceable(const std::string& path) {
    struct stat st {};

    if (::stat(path.c_str(), &st) != 0) {
        return {}; // a new file (or one we cannot see: creating it will say why)
    }
    if ((st.st_mode & S_IWUSR) == 0) {
        char mode[8];
        std::snprintf(mode, sizeof(mode), "%04o", static_cast<unsigned>(st.st_mode & 07777));
        return make_error(Errc::io_error,
                          path + " is read-only (mode " + mode
                              + "): someone made it so on purpose; it was left as it was");
    }
    // Replacing a file gives the new one our owner; only root can give it back.
    if (st.st_uid != ::geteuid() && ::geteuid() != 0) {
        return make_error(Errc::io_error,
                          path + " belongs to another user (uid " + std::to_string(st.st_uid)
                              + "); it was left as it was, so that it keeps its owner");
    }
    return {};
}

Result<AtomicFile> AtomicFile::open(const std::string& requested_path, mode_t default_mode) {
    std::string path = resolve_symlinks(requested_path);
    mode_t mode = default_mode;
    std::optional<std::pair<uid_t, gid_t>> owner;

    struct stat st {};

    if (::stat(path.c_str(), &st) == 0) {
        mode = st.st_mode & 07777;
        owner = std::pair(st.st_uid, st.st_gid);
    }
    remove_stale_temporaries(path);
    auto deferral = std::make_unique<SignalDeferral>();
    // The pid in the name tells a later writer whether this one is still alive.
    std::string temp_template = path + ".tmp." + std::to_string(::getpid()) + ".XXXXXX";
    std::vector<char> name(temp_template.begin(), temp_template.end());
    name.push_back('\0');
    Fd fd(::mkostemp(name.data(), O_CLOEXEC));
    if (!fd) {
        return io_error("cannot create a temporary file next to", path, errno);
    }
    std::string temp_path(name.data());
    // The replaced file's owner and group (root writing a user's file gives it back; a user
    // keeps the group if a member of it), then the final mode (mkostemp creates 0600, and
    // fchown may clear set-id bits), all before any byte is written.
    if (owner && (owner->first != ::geteuid() || owner->second != ::getegid())) {
        uid_t uid = ::geteuid() == 0 ? owner->first : static_cast<uid_t>(-1);
        if (::fchown(fd.get(), uid, owner->second) != 0 && ::geteuid() == 0) {
            int error_number = errno;
            ::unlink(temp_path.c_str());
            return io_error("cannot give the owner of " + path + " to", temp_path, error_number);
        }
    }
    if (::fchmod(fd.get(), mode) != 0) {
        int error_number = errno;
        ::unlink(temp_path.c_str());
        return io_error("cannot set the mode of", temp_path, error_number);
    }
    return AtomicFile(std::move(path), std::move(temp_path), std::move(fd), std::move(deferral));
}

AtomicFile::~AtomicFile() {
    if (m_fd) {
        m_fd.reset();
        ::unlink(m_temp_path.c_str());
    }
}

AtomicFile& AtomicFile::operator=(AtomicFile&& other) noexcept {
    if (this != &other) {
        // The file being replaced loses its uncommitted temporary, as its destructor would.
        if (m_fd) {
            m_fd.reset();
            ::unlink(m_temp_path.c_str());
        }
        m_path = std::move(other.m_path);
        m_temp_path = std::move(other.m_temp_path);
        m_fd = std::move(other.m_fd);
        m_deferral = std::move(other.m_deferral);
    }
    return *this;
}

Result<void> AtomicFile::write(std::string_view data) {
    return write_all(m_fd.get(), data, m_temp_path);
}

Result<void> AtomicFile::commit() {
    if (::fsync(m_fd.get()) != 0) {
        return io_error("cannot sync", m_temp_path, errno);
    }
    if (::close(m_fd.release()) != 0) {
        int error_number = errno;
        ::unlink(m_temp_path.c_str());
        return io_error("cannot close", m_temp_path, error_number);
    }
    if (::rename(m_temp_path.c_str(), m_path.c_str()) != 0) {
        int error_number = errno;
        ::unlink(m_temp_path.c_str());
        return make_error(Errc::io_error,
                          "cannot rename " + m_temp_path + " to " + m_path + ": "
                              + errno_text(error_number));
    }
    auto synced = fsync_directory(parent_directory(m_path));
    m_deferral.reset();
    return synced;
}

Result<void> write_file_atomically(const std::string& path, std::string_view data, mode_t mode) {
    auto file = AtomicFile::open(path, mode);
    if (!file) {
        return file.error();
    }
    FEEDZ_TRY(file->write(data));
    return file->commit();
}

Result<FileLock> FileLock::acquire(const std::string& lock_path, int timeout_ms) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (true) {
        auto lock = try_acquire(lock_path);
        if (!lock) {
            return lock.error();
        }
        if (lock->has_value()) {
            return std::move(**lock);
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return make_error(Errc::timeout,
                              "timed out waiting for the lock " + lock_path
                                  + " (another feedz-agent command is running)");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

Result<std::optional<FileLock>> FileLock::try_acquire(const std::string& lock_path) {
    Fd fd(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!fd) {
        return io_error("cannot open lock file", lock_path, errno);
    }
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK) {
            return std::optional<FileLock>();
        }
        return io_error("cannot lock", lock_path, errno);
    }
    return std::optional<FileLock>(FileLock(std::move(fd)));
}

std::string octal_mode(mode_t mode) {
    char text[8];
    std::snprintf(text, sizeof(text), "%04o", static_cast<unsigned>(mode & 07777));
    return text;
}

} // namespace feedz
