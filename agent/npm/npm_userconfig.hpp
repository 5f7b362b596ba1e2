// SPDX-License-Identifier: MIT
#pragma once

#include <agent/npm/npmrc.hpp>
#include <agent/util/fd.hpp>
#include <agent/util/result.hpp>

#include <string>

namespace feedz {

// An npm user config that exists only while `feedz-agent exec` waits for its command, for
// NPM_CONFIG_USERCONFIG. Preferably a sealed memfd that npm, and npm run by lifecycle scripts,
// reads as /proc/<our pid>/fd/<n>: nothing reaches a filesystem, and it is gone when we are.
// Where that is impossible (no memfd_create, no /proc), a 0600 file in
// $XDG_RUNTIME_DIR/feedz-agent/ (a tmpfs), removed on destruction; files a crash left behind
// are swept by the next exec.
class EphemeralNpmrc {
public:
    static Result<EphemeralNpmrc> create(const Npmrc& content);

    EphemeralNpmrc(EphemeralNpmrc&& other) noexcept;
    EphemeralNpmrc& operator=(EphemeralNpmrc&&) = delete;
    EphemeralNpmrc(const EphemeralNpmrc&) = delete;
    EphemeralNpmrc& operator=(const EphemeralNpmrc&) = delete;
    ~EphemeralNpmrc();

    // What NPM_CONFIG_USERCONFIG is set to.
    const std::string& path() const { return m_path; }

    bool in_memory() const { return m_file.empty(); }

    // Removes npmrc.<pid>.* files in `directory` whose process is gone.
    static void sweep(const std::string& directory);

private:
    EphemeralNpmrc() = default;

    static Result<EphemeralNpmrc> in_memfd(const Npmrc& content);

    static Result<EphemeralNpmrc> in_runtime_directory(const Npmrc& content);

    Fd m_fd;
    std::string m_path;
    std::string m_file; // the fallback file to remove, if any
};

} // namespace feedz
