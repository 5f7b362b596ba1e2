// SPDX-License-Identifier: MIT
#include "npm_userconfig.hpp"

#include <agent/core/environment.hpp>
#include <agent/core/paths.hpp>
#include <agent/util/system_error.hpp>

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <utility>
#include <vector>

namespace feedz {

namespace {

constexpr std::string_view k_file_prefix = "npmrc.";

// The fallback directory: $XDG_RUNTIME_DIR/feedz-agent, a per-user tmpfs.
std::optional<std::string> runtime_directory() {
    auto runtime = get_env("XDG_RUNTIME_DIR");
    if (!runtime) {
        return std::nullopt;
    }
    return *runtime + "/feedz-agent";
}

} // namespace

EphemeralNpmrc::EphemeralNpmrc(EphemeralNpmrc&& other) noexcept
    : m_fd(std::move(other.m_fd))
    , m_path(std::exchange(other.m_path, {}))
    , m_file(std::exchange(other.m_file, {})) {}

EphemeralNpmrc::~EphemeralNpmrc() {
    if (!m_file.empty()) {
        ::unlink(m_file.c_str());
    }
}

Result<EphemeralNpmrc> EphemeralNpmrc::create(const Npmrc& content) {
    auto memory = in_memfd(content);
    if (memory) {
        return memory;
    }
    auto file = in_runtime_directory(content);
    if (!file) {
        return make_error(file.error().code,
                          "cannot keep the npm config in memory (" + memory.error().message
                              + ") nor in a private runtime directory (" + file.error().message
                              + "); no token is written to disk");
    }
    return file;
}

Result<EphemeralNpmrc> EphemeralNpmrc::in_memfd(const Npmrc& content) {
    Fd fd(::memfd_create("feedz-npmrc", MFD_CLOEXEC | MFD_ALLOW_SEALING));
    if (!fd) {
        return make_error(Errc::io_error, "memfd_create: " + errno_text(errno));
    }
    FEEDZ_TRY(content.write_to(fd.get()));
    // Sealed: a script cannot change what the next nested npm reads.
    if (::fcntl(fd.get(), F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL)
        != 0) {
        return make_error(Errc::io_error, "sealing the memfd: " + errno_text(errno));
    }
    EphemeralNpmrc config;
    config.m_path = "/proc/" + std::to_string(::getpid()) + "/fd/" + std::to_string(fd.get());
    // npm opens the path, which needs /proc mounted and us dumpable (the ptrace access check
    // on /proc/<pid>/fd); what works for us works for our children, who run as us.
    ::prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
    Fd probe(::open(config.m_path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!probe) {
        return make_error(Errc::io_error,
                          "cannot open " + config.m_path + ": " + errno_text(errno));
    }
    config.m_fd = std::move(fd);
    return config;
}

Result<EphemeralNpmrc> EphemeralNpmrc::in_runtime_directory(const Npmrc& content) {
    auto directory = runtime_directory();
    if (!directory) {
        return make_error(Errc::io_error, "XDG_RUNTIME_DIR is not set");
    }
    FEEDZ_TRY(ensure_private_directory(*directory));
    sweep(*directory);
    std::string pattern =
        *directory + "/" + std::string(k_file_prefix) + std::to_string(::getpid()) + ".XXXXXX";
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    Fd fd(::mkostemp(name.data(), O_CLOEXEC)); // mode 0600
    if (!fd) {
        return make_error(Errc::io_error,
                          "cannot create a file in " + *directory + ": " + errno_text(errno));
    }
    EphemeralNpmrc config;
    config.m_file = name.data();
    config.m_path = config.m_file;
    FEEDZ_TRY(content.write_to(fd.get()));
    return config;
}

void EphemeralNpmrc::sweep(const std::string& directory) {
    DIR* dir = ::opendir(directory.c_str());
    if (dir == nullptr) {
        return;
    }
    while (dirent* entry = ::readdir(dir)) {
        std::string_view name = entry->d_name;
        if (!name.starts_with(k_file_prefix)) {
            continue;
        }
        std::string_view rest = name.substr(k_file_prefix.size());
        pid_t pid = 0;
        auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), pid);
        if (error != std::errc() || end == rest.data() || end == rest.data() + rest.size()
            || *end != '.' || pid <= 0) {
            continue;
        }
        if (::kill(pid, 0) != 0 && errno == ESRCH) {
            ::unlinkat(::dirfd(dir), entry->d_name, 0);
        }
    }
    ::closedir(dir);
}

} // namespace feedz
