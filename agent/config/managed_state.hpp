// SPDX-License-Identifier: MIT
#pragma once

#include <agent/util/file.hpp>
#include <agent/util/result.hpp>

#include <optional>
#include <string>
#include <vector>

namespace feedz {

// One thing feedz-agent wrote into a user's configuration file on behalf of a token, so that
// `logout` removes exactly that and nothing else.
//   kind   "nuget-source", "nuget-mapping", "npm-auth", "npm-scope", ...
//   file   absolute path of the file edited
//   key    what identifies the entry in that file (a source key, a registry key, ...)
//   value  what was written (a URL, a pattern; never a secret)
//   written  the exact bytes written (an element, a line) or, for a line that holds a
//          secret, their digest; logout removes an entry only while it still reads so.
//          Empty in records of older versions: then the key and value decide.
struct ManagedEntry {
    std::string token;
    std::string kind;
    std::string file;
    std::string key;
    std::string value;
    std::string written;

    friend bool operator==(const ManagedEntry&, const ManagedEntry&) = default;
};

// The record of everything feedz-agent wrote into configuration files
// ($XDG_STATE_HOME/feedz-agent/managed.json). Entries are shared: when two tokens registered
// the same NuGet source, the source stays until neither remains.
class ManagedState {
public:
    // Reads `path`; a missing file is an empty state. A damaged file is an error that names it
    // (and is left as it is).
    static Result<ManagedState> load(const std::string& path);

    const std::vector<ManagedEntry>& entries() const { return m_entries; }

    // Records `entry` (no duplicate).
    void add(const ManagedEntry& entry);

    // True when some token other than `token` owns an entry of this kind, file and key.
    bool owned_by_other(const std::string& token,
                        const std::string& kind,
                        const std::string& file,
                        const std::string& key) const;

    // True when any token owns an entry of this kind, file and key.
    bool owned(const std::string& kind, const std::string& file, const std::string& key) const;

    // An entry of this kind, file and key, whichever token owns it.
    std::optional<ManagedEntry>
    find(const std::string& kind, const std::string& file, const std::string& key) const;

    // Forgets `token`'s entries and returns those no other token owns: what logout removes.
    std::vector<ManagedEntry> release(const std::string& token);

    // Forgets one entry of `token` (after its file entry was removed by hand, say).
    void forget(const ManagedEntry& entry);

    // Writes the state when it changed since load().
    Result<void> save() const;

private:
    bool m_changed = false;
    std::string m_path;
    std::vector<ManagedEntry> m_entries;
};

// $XDG_STATE_HOME/feedz-agent/managed.json
std::string managed_state_path();

// Serialises every edit of users' configuration files by feedz-agent commands
// ($XDG_STATE_HOME/feedz-agent/config.lock): read, change, write and record happen under it.
Result<FileLock> lock_configuration();

// The record, read under the configuration lock, which is held as long as this lives.
struct LockedManagedState {
    FileLock lock;
    ManagedState state;
};

Result<LockedManagedState> lock_managed_state();

} // namespace feedz
