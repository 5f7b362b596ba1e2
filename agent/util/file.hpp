// SPDX-License-Identifier: MIT
#pragma once

#include <agent/util/fd.hpp>
#include <agent/util/result.hpp>
#include <agent/util/secret_string.hpp>

#include <signal.h>
#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace feedz {

// The most a configuration file (NuGet.Config, .npmrc, package.json, managed.json) may hold:
// far beyond any real one, and a bound on what a symlink to /dev/zero or a log costs.
inline constexpr std::size_t k_max_config_file_size = 16 * 1024 * 1024;

// Contents of the regular file at `path`, or nullopt when it does not exist. Anything else (a
// FIFO, a device, a directory) is an error at once, without waiting for a writer; so is a file
// larger than `max_size`.
Result<std::optional<std::string>> read_file(const std::string& path,
                                             std::size_t max_size = k_max_config_file_size);

// read_file() into a buffer that is wiped (the file may hold a token).
Result<std::optional<SecretString>> read_secret_file(const std::string& path,
                                                     std::size_t max_size = k_max_config_file_size);

// Writes all of `data` to `fd` (retrying short writes); `path` names the file in errors.
Result<void> write_all(int fd, std::string_view data, const std::string& path);

// The permission bits of `mode` as "0644", for messages and records.
std::string octal_mode(mode_t mode);

// Creates `path` and its missing parents with `mode` (existing directories are left alone).
Result<void> make_directories(const std::string& path, mode_t mode);

// The directory part of `path` ("." when there is none).
std::string parent_directory(const std::string& path);

// The last component of `path` ("npm" for "/usr/bin/npm").
std::string basename_of(std::string_view path);

// `path` with a symlink chain resolved, so that writing replaces the link's target and not the
// link (dotfiles are often symlinks into a repository). Missing files resolve to themselves.
std::string resolve_symlinks(const std::string& path);

// Whether `path` (a file, not a link) may be replaced: an error naming it when it is
// read-only (its owner cannot write it) or, unless we are root, belongs to another user
// (replacing it would make it ours). A missing file may be created.
Result<void> check_replaceable(const std::string& path);

// Writes a file by replacing it: a temporary file in the same directory (so the rename stays on
// one filesystem), written, fsynced, renamed over `path`, then the directory fsynced. A reader
// sees the old or the new content, never a mix. The file keeps the mode (and, written by root,
// the owner and group) of the file it replaces, or gets `default_mode` when new. Callers that
// edit a user's file ask check_replaceable() first. An uncommitted AtomicFile removes
// its temporary; the temporary is named "<file>.tmp.<pid>.XXXXXX", so that open() can remove those
// a killed writer left (its pid gone, or an hour old) and nothing else.
class AtomicFile {
public:
    static Result<AtomicFile> open(const std::string& path, mode_t default_mode);

    AtomicFile(AtomicFile&& other) noexcept = default;
    AtomicFile& operator=(AtomicFile&& other) noexcept;
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;
    ~AtomicFile();

    Result<void> write(std::string_view data);

    Result<void> commit();

private:
    // Holds Ctrl-C and termination signals back while the temporary exists (it may hold a
    // token: ~/.npmrc), so that it is removed or renamed before the process can die. A signal
    // that arrives meanwhile takes effect right after.
    class SignalDeferral {
    public:
        SignalDeferral();
        ~SignalDeferral();
        SignalDeferral(const SignalDeferral&) = delete;
        SignalDeferral& operator=(const SignalDeferral&) = delete;
    };

    AtomicFile(std::string path,
               std::string temp_path,
               Fd fd,
               std::unique_ptr<SignalDeferral> deferral);

    std::string m_path;
    std::string m_temp_path;
    Fd m_fd;
    std::unique_ptr<SignalDeferral> m_deferral; // released last, after the temporary is gone
};

// AtomicFile in one call.
Result<void> write_file_atomically(const std::string& path, std::string_view data, mode_t mode);

// An exclusive advisory lock (flock) on a lock file, held until destruction. Writers of the same
// configuration file serialise on it.
class FileLock {
public:
    // Waits up to `timeout_ms` for the lock on `lock_path` (created 0600 if missing).
    static Result<FileLock> acquire(const std::string& lock_path, int timeout_ms);

    // Takes the lock only if it is free right now; nullopt when someone else holds it.
    static Result<std::optional<FileLock>> try_acquire(const std::string& lock_path);

    int fd() const { return m_fd.get(); }

private:
    explicit FileLock(Fd fd)
        : m_fd(std::move(fd)) {}

    Fd m_fd;
};

} // namespace feedz
