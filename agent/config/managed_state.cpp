// SPDX-License-Identifier: MIT
#include "managed_state.hpp"

#include <agent/core/paths.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace feedz {

namespace {

constexpr int k_format_version = 1;

Error damaged(const std::string& path, const std::string& why) {
    return make_error(Errc::io_error,
                      path + " is damaged (" + why
                          + "); it records which configuration entries feedz-agent wrote. Move "
                            "it aside to start afresh (logout then leaves entries it no longer "
                            "knows about in place)");
}

} // namespace

std::string managed_state_path() {
    return state_directory() + "/managed.json";
}

Result<FileLock> lock_configuration() {
    std::string directory = state_directory();
    FEEDZ_TRY(make_directories(directory, 0700));
    return FileLock::acquire(directory + "/config.lock", 10000);
}

Result<LockedManagedState> lock_managed_state() {
    auto lock = lock_configuration();
    if (!lock) {
        return lock.error();
    }
    auto state = ManagedState::load(managed_state_path());
    if (!state) {
        return state.error();
    }
    return LockedManagedState{std::move(*lock), std::move(*state)};
}

Result<ManagedState> ManagedState::load(const std::string& path) {
    ManagedState state;
    state.m_path = path;
    auto text = read_file(path);
    if (!text) {
        return text.error();
    }
    if (!*text) {
        return state;
    }
    auto json = nlohmann::json::parse(**text, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
        return damaged(path, "not a JSON object");
    }
    auto entries = json.find("entries");
    if (entries == json.end() || !entries->is_array()) {
        return damaged(path, "no \"entries\" list");
    }
    for (const auto& item : *entries) {
        auto field = [&](const char* name) -> std::optional<std::string> {
            auto it = item.find(name);
            if (it == item.end() || !it->is_string()) {
                return std::nullopt;
            }
            return it->get<std::string>();
        };
        auto token = field("token");
        auto kind = field("kind");
        auto file = field("file");
        auto key = field("key");
        if (!item.is_object() || !token || !kind || !file || !key) {
            return damaged(path, "an entry lacks token, kind, file or key");
        }
        state.m_entries.push_back({*token,
                                   *kind,
                                   *file,
                                   *key,
                                   field("value").value_or(""),
                                   field("written").value_or("")});
    }
    return state;
}

void ManagedState::add(const ManagedEntry& entry) {
    if (std::find(m_entries.begin(), m_entries.end(), entry) == m_entries.end()) {
        m_entries.push_back(entry);
        m_changed = true;
    }
}

bool ManagedState::owned_by_other(const std::string& token,
                                  const std::string& kind,
                                  const std::string& file,
                                  const std::string& key) const {
    return std::any_of(m_entries.begin(), m_entries.end(), [&](const ManagedEntry& entry) {
        return entry.token != token && entry.kind == kind && entry.file == file && entry.key == key;
    });
}

bool ManagedState::owned(const std::string& kind,
                         const std::string& file,
                         const std::string& key) const {
    return std::any_of(m_entries.begin(), m_entries.end(), [&](const ManagedEntry& entry) {
        return entry.kind == kind && entry.file == file && entry.key == key;
    });
}

std::optional<ManagedEntry>
ManagedState::find(const std::string& kind, const std::string& file, const std::string& key) const {
    for (const auto& entry : m_entries) {
        if (entry.kind == kind && entry.file == file && entry.key == key) {
            return entry;
        }
    }
    return std::nullopt;
}

std::vector<ManagedEntry> ManagedState::release(const std::string& token) {
    std::vector<ManagedEntry> released;
    std::vector<ManagedEntry> kept;
    for (auto& entry : m_entries) {
        (entry.token == token ? released : kept).push_back(entry);
    }
    m_changed = m_changed || !released.empty();
    m_entries = std::move(kept);
    std::vector<ManagedEntry> removable;
    for (auto& entry : released) {
        if (!owned(entry.kind, entry.file, entry.key)) {
            removable.push_back(std::move(entry));
        }
    }
    return removable;
}

void ManagedState::forget(const ManagedEntry& entry) {
    auto end = std::remove(m_entries.begin(), m_entries.end(), entry);
    m_changed = m_changed || end != m_entries.end();
    m_entries.erase(end, m_entries.end());
}

Result<void> ManagedState::save() const {
    if (!m_changed) {
        return {};
    }
    nlohmann::json entries = nlohmann::json::array();
    for (const auto& entry : m_entries) {
        entries.push_back({{"token", entry.token},
                           {"kind", entry.kind},
                           {"file", entry.file},
                           {"key", entry.key},
                           {"value", entry.value},
                           {"written", entry.written}});
    }
    nlohmann::json json = {{"version", k_format_version}, {"entries", std::move(entries)}};
    FEEDZ_TRY(make_directories(parent_directory(m_path), 0700));
    return write_file_atomically(m_path, json.dump(2) + "\n", 0600);
}

} // namespace feedz
