// SPDX-License-Identifier: MIT
#include "pnpm_helper.hpp"

#include <agent/core/environment.hpp>
#include <agent/core/paths.hpp>
#include <agent/util/file.hpp>
#include <agent/util/process.hpp>

#include <unistd.h>

#include <cctype>
#include <cstring>
#include <map>

namespace feedz {

namespace {

constexpr const char* k_line = "pnpm-token-helper"; // //host/org/repo/npm/:tokenHelper in auth.ini
constexpr const char* k_script = "pnpm-helper-script"; // a generated helper script
constexpr const char* k_file = "pnpm-file";            // an auth.ini login created
constexpr mode_t k_script_mode = 0755;

// pnpm 11+ splits a tokenHelper value on whitespace and refuses these characters
// (TOKEN_HELPER_UNSUPPORTED_CHARACTER).
constexpr std::string_view k_unusable = " \t$%\\\"'";

// "127.0.0.1_3a8443_2facme_2fpackages" for https://127.0.0.1:8443/acme/packages/: each byte
// other than a letter, digit, '.' or '-' as '_' and its hex code, so that two feeds never share
// a script (a plain http:// root gets "http_3a" in front).
std::string script_name(const Feed& feed) {
    std::string_view rest = feed.root;
    std::string name;
    if (rest.starts_with("https://")) {
        rest.remove_prefix(8);
    } else if (rest.starts_with("http://")) {
        rest.remove_prefix(7);
        name = "http_3a";
    }
    while (rest.ends_with('/')) {
        rest.remove_suffix(1);
    }
    static const char* const k_hex = "0123456789abcdef";
    for (char c : rest) {
        auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte) || c == '.' || c == '-') {
            name += c;
        } else {
            name += '_';
            name += k_hex[byte >> 4];
            name += k_hex[byte & 15];
        }
    }
    return name;
}

std::string shell_quote(std::string_view text) {
    std::string quoted = "'";
    for (char c : text) {
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return quoted + "'";
}

std::string script_text(const std::string& executable, const Feed& feed) {
    return "#!/bin/sh\n"
           "# pnpm's tokenHelper for "
           + feed.npm_url()
           + ", written by `feedz-agent login --npm pnpm-helper`.\n"
             "# It holds no secret: it asks the agent. `feedz-agent logout` removes it.\n"
             "exec "
           + shell_quote(executable) + " token-helper --feed " + shell_quote(feed.root) + "\n";
}

// Writes `text` to `path` unless it reads so already. Returns whether the file is new.
Result<bool> write_script(const std::string& path, const std::string& text) {
    auto current = read_file(path);
    if (!current) {
        return current.error();
    }
    if (*current == text) {
        return false;
    }
    FEEDZ_TRY(write_file_atomically(path, text, k_script_mode));
    return !current->has_value();
}

} // namespace

std::string pnpm_auth_ini_path() {
    return config_home() + "/pnpm/auth.ini";
}

std::string pnpm_helper_directory() {
    return data_directory() + "/pnpm-token-helpers";
}

bool is_our_token_helper(const ManagedState& state, const Npmrc& config, const NpmrcEntry& entry) {
    auto ours = state.find(k_line, config.path(), entry.key);
    return ours && config.line_digest(entry.key) == ours->written;
}

Result<void> register_pnpm_helpers(Registration& registration) {
    auto executable = own_executable();
    if (!executable) {
        return make_error(Errc::io_error,
                          "pnpm: cannot tell where feedz-agent is (/proc/self/exe), so no helper "
                          "can run it; log in with --npm exec instead");
    }
    std::string directory = pnpm_helper_directory();
    if (directory.find_first_of(k_unusable) != std::string::npos) {
        return make_error(Errc::invalid_argument,
                          "pnpm: the helpers' directory " + display_path(directory)
                              + " has a space or one of $ % \\ \" ' in its path, which pnpm's "
                                "tokenHelper cannot take: set XDG_DATA_HOME to a directory "
                                "without them, or log in with --npm exec");
    }
    auto config = Npmrc::load(pnpm_auth_ini_path());
    if (!config) {
        return make_error(config.error().code,
                          "cannot register the feed with pnpm: " + config.error().message
                              + ". Fix the file, or log in with --npm exec");
    }
    bool existed = config->exists();
    StagedRegistration staging(registration);
    Registration& staged = staging.get();
    const std::string& token = registration.token.name;
    std::string shown = display_path(config->path());
    std::vector<std::string> created_scripts;
    auto undo_scripts = [&] {
        for (const auto& path : created_scripts) {
            ::unlink(path.c_str());
        }
    };
    FEEDZ_TRY(make_directories(directory, 0700));
    for (const Feed& feed : registration.feeds) {
        std::string registry = feed.npm_url();
        std::string key = npm_nerf_dart(registry).value_or("") + ":tokenHelper";
        std::string path = directory + "/" + script_name(feed);
        auto existing = config->find(key);
        if (existing && !is_our_token_helper(staged.state, *config, *existing)) {
            staged.notes.push_back(
                "Warning: pnpm: " + shown + " line " + std::to_string(existing->line)
                + " already names a tokenHelper for " + registry
                + " that feedz-agent did not write, and pnpm runs it; it was left as it is. To "
                  "let feedz-agent's helper serve pnpm, delete that line and log in again.");
            continue;
        }
        std::string text = script_text(*executable, feed);
        auto created = write_script(path, text);
        if (!created) {
            undo_scripts();
            return make_error(created.error().code,
                              "pnpm: cannot write the helper " + display_path(path) + ": "
                                  + created.error().message);
        }
        if (*created) {
            created_scripts.push_back(path);
        }
        // Every token that shares the script shares its new text.
        std::vector<ManagedEntry> scripts;
        for (const auto& entry : staged.state.entries()) {
            if (entry.kind == k_script && entry.file == path) {
                scripts.push_back(entry);
            }
        }
        for (auto entry : scripts) {
            staged.state.forget(entry);
            entry.written = text;
            staged.state.add(entry);
        }
        staged.state.add({token, k_script, path, path, feed.root, text});

        bool changed = config->set(key, path);
        staged.state.add(
            {token, k_line, config->path(), key, registry, config->line_digest(key).value_or("")});
        staged.notes.push_back(
            changed
                ? "pnpm: " + shown + " runs " + display_path(path) + " for " + registry
                      + " (no credential at rest): plain pnpm install asks the agent for a "
                        "Read token; publish with `feedz-agent exec -- pnpm publish`."
                : "pnpm: " + shown + " already runs feedz-agent's helper for " + registry + ".");
    }
    if (config->changed()) {
        if (!existed || staged.state.owned(k_file, config->path(), config->path())) {
            staged.state.add({token, k_file, config->path(), config->path(), "", ""});
        }
        auto saved = make_directories(parent_directory(config->path()), 0700);
        if (saved) {
            saved = config->save();
        }
        if (!saved) {
            undo_scripts();
            return make_error(Errc::io_error,
                              "pnpm: " + shown + " was not changed: " + saved.error().message
                                  + ". Make the file and its directory writable by you, or log "
                                    "in with --npm exec");
        }
    }
    staging.commit(registration);
    return {};
}

Result<void> withdraw_pnpm_helpers(Registration& registration) {
    std::vector<ManagedEntry> mine;
    for (const auto& entry : registration.state.entries()) {
        bool of_feed = false;
        for (const Feed& feed : registration.feeds) {
            of_feed = of_feed || (entry.kind == k_line && entry.value == feed.npm_url())
                      || (entry.kind == k_script && entry.value == feed.root);
        }
        if (of_feed && entry.token == registration.token.name) {
            mine.push_back(entry);
        }
    }
    std::vector<ManagedEntry> released;
    for (const auto& entry : mine) {
        registration.state.forget(entry);
        if (!registration.state.owned(entry.kind, entry.file, entry.key)) {
            released.push_back(entry);
        }
    }
    return unregister_pnpm_helpers(released, registration.notes);
}

Result<void> unregister_pnpm_helpers(const std::vector<ManagedEntry>& released,
                                     std::vector<std::string>& notes) {
    std::map<std::string, std::vector<ManagedEntry>> lines_by_file;
    for (const auto& entry : released) {
        if (entry.kind == k_line || entry.kind == k_file) {
            lines_by_file[entry.file].push_back(entry);
        }
    }
    for (const auto& [path, entries] : lines_by_file) {
        auto config = Npmrc::load(path);
        if (!config) {
            return make_error(config.error().code,
                              "cannot remove feedz-agent's pnpm lines: " + config.error().message
                                  + ". Fix the file and log out again");
        }
        if (!config->exists()) {
            continue; // the user removed the file: nothing left to clean up
        }
        bool created = false;
        for (const auto& entry : entries) {
            if (entry.kind == k_file) {
                created = true;
            } else if (config->line_digest(entry.key) == entry.written
                       && config->erase(entry.key)) {
                notes.push_back("pnpm: removed the tokenHelper for " + entry.value + " from "
                                + display_path(path) + ".");
            } else if (config->find(entry.key)) {
                notes.push_back("pnpm: the tokenHelper for " + entry.value + " in "
                                + display_path(path)
                                + " is not the one feedz-agent wrote; it was left as it is.");
            }
        }
        if (created && config->text().empty()) {
            if (::unlink(resolve_symlinks(path).c_str()) != 0) {
                return make_error(Errc::io_error, "cannot remove " + path);
            }
            continue;
        }
        FEEDZ_TRY(config->save());
    }
    for (const auto& entry : released) {
        if (entry.kind != k_script) {
            continue;
        }
        auto current = read_file(entry.file);
        if (current && current->has_value() && **current == entry.written) {
            if (::unlink(entry.file.c_str()) == 0) {
                notes.push_back("pnpm: removed the helper " + display_path(entry.file) + ".");
            }
        } else if (current && current->has_value()) {
            notes.push_back("pnpm: " + display_path(entry.file)
                            + " changed since login wrote it; it was left as it is.");
        }
        // Gone once its last helper is (rmdir refuses a directory that is not empty).
        ::rmdir(parent_directory(entry.file).c_str());
    }
    return {};
}

std::string exec_access_variable(const std::vector<NpmFeedCredential>& credentials) {
    std::string value;
    for (const auto& credential : credentials) {
        value += (value.empty() ? "" : " ") + credential.feed.root + "="
                 + to_string(credential.operation);
    }
    return std::string(k_env_exec_access) + "=" + value;
}

Operation exec_access_for(const Feed& feed, std::optional<std::string_view> value) {
    std::string_view rest = value.value_or("");
    while (!rest.empty()) {
        auto end = rest.find(' ');
        std::string_view item = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        if (item.size() > feed.root.size() && item.starts_with(feed.root)
            && item[feed.root.size()] == '=') {
            return operation_from_string(item.substr(feed.root.size() + 1))
                .value_or(Operation::read);
        }
    }
    return Operation::read;
}

SecretString pnpm_authorization(std::string_view token) {
    constexpr std::string_view scheme = "Basic ";
    SecretString credential = npm_basic_auth(token);
    SecretString header = SecretString::with_size(scheme.size() + credential.size());
    std::memcpy(header.data(), scheme.data(), scheme.size());
    std::memcpy(header.data() + scheme.size(), credential.view().data(), credential.size());
    return header;
}

} // namespace feedz
