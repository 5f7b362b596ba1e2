// SPDX-License-Identifier: MIT
// npm: `login --npm userconfig|exec|pnpm-helper|none` and `--npm-scope`, and logout's removal
// of our lines. userconfig writes one exact-registry `_auth` line per feed into the user's npm
// config (the only file a token may be written to); exec writes nothing secret; pnpm-helper
// writes nothing secret either, and gives pnpm a tokenHelper (pnpm_helper.hpp); none leaves npm
// alone.
#include <agent/core/paths.hpp>
#include <agent/npm/npm_checks.hpp>
#include <agent/npm/npm_files.hpp>
#include <agent/npm/npm_login.hpp>
#include <agent/npm/npm_preflight.hpp>
#include <agent/npm/npmrc.hpp>
#include <agent/npm/pnpm_helper.hpp>
#include <agent/npm/yarn_login.hpp>
#include <agent/util/file.hpp>

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <map>

namespace feedz {

namespace {

constexpr const char* k_auth = "npm-auth";
constexpr const char* k_scope = "npm-scope";
constexpr const char* k_file = "npm-file";
// The mode a file had before our first save made it 0600 (saves do, as it may hold a token).
constexpr const char* k_mode = "npm-mode";
constexpr mode_t k_private_mode = 0600;

enum class NpmMode { userconfig, exec, pnpm_helper, none };

Result<NpmMode> npm_mode(const Arguments& arguments) {
    auto mode = arguments.value("npm").value_or("userconfig");
    if (mode == "userconfig") {
        return NpmMode::userconfig;
    }
    if (mode == "exec") {
        return NpmMode::exec;
    }
    if (mode == "pnpm-helper") {
        return NpmMode::pnpm_helper;
    }
    if (mode == "none") {
        return NpmMode::none;
    }
    return make_error(Errc::invalid_argument,
                      "unknown --npm mode " + quote_argument(mode)
                          + ": use userconfig (the credential in ~/.npmrc), exec (nothing at "
                            "rest; run npm through `feedz-agent exec`), pnpm-helper (exec, and "
                            "plain pnpm asks the agent through its tokenHelper) or none");
}

// "@acme" from "@acme" or "acme"; npm scopes are URL-safe names.
Result<std::string> npm_scope(const std::string& text) {
    std::string scope = text.starts_with('@') ? text : "@" + text;
    std::string_view name = std::string_view(scope).substr(1);
    bool valid = !name.empty() && name.size() <= 214
                 && std::isalnum(static_cast<unsigned char>(name[0]))
                 && std::all_of(name.begin(), name.end(), [](unsigned char c) {
                        return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
                    });
    if (!valid) {
        return make_error(Errc::invalid_argument,
                          "bad npm scope " + quote_argument(text)
                              + ": a scope is @ and a name of letters, digits, '-', '.', '_' "
                                "and '~', e.g. --npm-scope @acme");
    }
    return scope;
}

std::string current_directory() {
    char buffer[PATH_MAX];
    return ::getcwd(buffer, sizeof(buffer)) != nullptr ? std::string(buffer) : std::string(".");
}

// The permission bits of `path` (through links); nullopt when it cannot be read.
std::optional<mode_t> permission_bits(const std::string& path) {
    struct stat st {};

    if (::stat(path.c_str(), &st) != 0) {
        return std::nullopt;
    }
    return st.st_mode & 07777;
}

// Records the mode `path` has before a save makes it 0600, so that the last logout gives it
// back. A token that writes into a file another token already made private shares that
// token's record.
void remember_mode(ManagedState& state, const std::string& token, const std::string& path) {
    if (auto shared = state.find(k_mode, path, path)) {
        shared->token = token;
        state.add(*shared);
        return;
    }
    auto mode = permission_bits(path);
    if (mode && *mode != k_private_mode) {
        state.add({token, k_mode, path, path, octal_mode(*mode), octal_mode(k_private_mode)});
    }
}

// Gives `path` back the mode `entry` recorded, unless someone changed it since we made it
// private.
void restore_mode(const ManagedEntry& entry, std::vector<std::string>& notes) {
    auto mode = permission_bits(entry.file);
    if (!mode || octal_mode(*mode) != entry.written) {
        return;
    }
    auto original = static_cast<mode_t>(std::strtoul(entry.value.c_str(), nullptr, 8));
    if (::chmod(entry.file.c_str(), original) == 0) {
        notes.push_back("npm: " + display_path(entry.file) + " has its mode " + entry.value
                        + " back.");
    } else {
        // The credential is gone either way; only the mode is left to give back.
        notes.push_back("npm: cannot give " + display_path(entry.file) + " its mode " + entry.value
                        + " back (" + std::strerror(errno) + "): run chmod " + entry.value + " "
                        + display_path(entry.file) + ".");
    }
}

// A user config that is a link (dotfile managers keep them in a repository) gets the token
// in the link's target: say where it went.
std::optional<std::string> link_warning(const std::string& path) {
    struct stat st {};

    if (::lstat(path.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) {
        return std::nullopt;
    }
    return "Warning: npm: " + display_path(path) + " is a link to "
           + display_path(resolve_symlinks(path))
           + ": the token is written there (mode 0600 until logout). Keep that file out of "
             "version control, or log in with --npm exec (nothing at rest).";
}

// Makes `token` the only owner of `kind`/`key` in `file`: the line holds one token's value.
void take_ownership(ManagedState& state, const ManagedEntry& entry) {
    std::vector<ManagedEntry> others;
    for (const auto& existing : state.entries()) {
        if (existing.kind == entry.kind && existing.file == entry.file && existing.key == entry.key
            && existing.token != entry.token) {
            others.push_back(existing);
        }
    }
    for (const auto& other : others) {
        state.forget(other);
    }
    state.add(entry);
}

// Forgets every owner of `kind`/`key` in `file`.
void forget_all(ManagedState& state,
                const std::string& kind,
                const std::string& file,
                const std::string& key) {
    std::vector<ManagedEntry> owners;
    for (const auto& existing : state.entries()) {
        if (existing.kind == kind && existing.file == file && existing.key == key) {
            owners.push_back(existing);
        }
    }
    for (const auto& owner : owners) {
        state.forget(owner);
    }
}

// A credential for `nerf` in `config` that feedz-agent did not write, if any: npm would use it
// (or, for _authToken, prefer it) instead of ours, and it is the user's to remove.
std::optional<NpmrcEntry>
foreign_credential(const Npmrc& config, const ManagedState& state, const std::string& nerf) {
    for (const char* name : {"_authToken", "username", "_password", "_auth"}) {
        std::string key = nerf + ":" + name;
        auto entry = config.find(key);
        if (entry
            && !(std::string_view(name) == "_auth" && state.owned(k_auth, config.path(), key))) {
            return entry;
        }
    }
    return std::nullopt;
}

void write_credential(Registration& registration, Npmrc& config, const Feed& feed) {
    std::string registry = feed.npm_url();
    std::string nerf = npm_nerf_dart(registry).value_or("");
    std::string key = nerf + ":_auth";
    std::string shown = display_path(config.path());
    if (auto foreign = foreign_credential(config, registration.state, nerf)) {
        registration.notes.push_back(
            "Warning: npm: " + shown + " line " + std::to_string(foreign->line)
            + " already has a credential for " + registry
            + " that feedz-agent did not write, and npm uses it; it was left as it is. To let "
              "feedz-agent manage it, delete that line and run this login again.");
        return;
    }
    SecretString value = npm_basic_auth(registration.secret.view());
    bool changed = config.set(key, value.view());
    take_ownership(registration.state,
                   {registration.token.name,
                    k_auth,
                    config.path(),
                    key,
                    registry,
                    config.line_digest(key).value_or("")});
    registration.notes.push_back(
        changed ? "npm: wrote the credential for " + registry + " to " + shown
                      + " (mode 0600): plain npm install and npm publish work."
                : "npm: " + shown + " already has this token for " + registry + ".");
}

// --npm exec and pnpm-helper: none of our credentials may stay at rest for these feeds.
void remove_credential(Registration& registration, Npmrc& config, const Feed& feed) {
    std::string registry = feed.npm_url();
    std::string key = npm_nerf_dart(registry).value_or("") + ":_auth";
    if (!registration.state.owned(k_auth, config.path(), key)) {
        return;
    }
    if (config.erase(key)) {
        registration.notes.push_back("npm: removed feedz-agent's credential for " + registry
                                     + " from " + display_path(config.path()) + " (--npm "
                                     + registration.arguments.value("npm").value_or("")
                                     + " keeps none at rest).");
    }
    forget_all(registration.state, k_auth, config.path(), key);
}

void route_scope(Registration& registration,
                 Npmrc& config,
                 const Feed& feed,
                 const std::string& scope) {
    std::string registry = feed.npm_url();
    std::string key = scope + ":registry";
    std::string shown = display_path(config.path());
    auto existing = config.find(key);
    bool ours = registration.state.owned(k_scope, config.path(), key);
    if (existing && !ours) {
        std::string current = npm_value(existing->raw);
        if (current != registry) {
            registration.notes.push_back(
                "Warning: npm: " + shown + " line " + std::to_string(existing->line) + " sends "
                + scope + " packages to " + current + "; it was left as it is. Change it to "
                + registry + " to get them from this feed.");
        }
        return;
    }
    if (config.set(key, registry)) {
        registration.notes.push_back("npm: " + scope + " packages now come from " + registry + " ("
                                     + shown + ").");
    }
    take_ownership(registration.state,
                   {registration.token.name, k_scope, config.path(), key, registry, ""});
}

} // namespace

std::vector<OptionSpec> npm_login_options() {
    return {{"npm", true, false}, {"npm-scope", true, false}, {"yarn", true, false}};
}

Result<void> check_npm_arguments(const Arguments& arguments, std::size_t feed_count) {
    FEEDZ_TRY(npm_mode(arguments));
    FEEDZ_TRY(check_yarn_arguments(arguments));
    if (auto text = arguments.value("npm-scope")) {
        FEEDZ_TRY(npm_scope(*text));
        if (feed_count != 1) {
            return make_error(
                Errc::invalid_argument,
                "--npm-scope sends a scope to one feed: give a single --feed with it");
        }
    }
    return {};
}

bool npm_wanted(const Arguments& arguments) {
    auto mode = npm_mode(arguments);
    // An invalid mode is wanted, so that register_with_npm() reports it; so is yarn berry asked
    // for with --npm none.
    return !mode || *mode != NpmMode::none || arguments.value("yarn").value_or("") == "berry";
}

Result<void> register_with_npm(Registration& registration) {
    auto mode = npm_mode(registration.arguments);
    if (!mode) {
        return mode.error();
    }
    if (registration.feeds.empty()) {
        return {};
    }
    std::optional<std::string> scope;
    if (auto text = registration.arguments.value("npm-scope")) {
        auto parsed = npm_scope(*text);
        if (!parsed) {
            return parsed.error();
        }
        if (registration.feeds.size() != 1) {
            return make_error(
                Errc::invalid_argument,
                "--npm-scope sends a scope to one feed: give a single --feed with it");
        }
        scope = *parsed;
    }
    FEEDZ_TRY(register_with_yarn(registration, scope, *mode != NpmMode::none));
    if (*mode == NpmMode::none) {
        return {};
    }

    NpmEnvironment environment = NpmEnvironment::current();
    std::string home = home_directory();
    std::string cwd = current_directory();
    auto config = Npmrc::load(npm_user_config_path(environment, home, cwd));
    if (!config) {
        return make_error(config.error().code,
                          "cannot register the feed with npm: " + config.error().message
                              + ". Fix the file, or log in with --npm none");
    }
    bool existed = config->exists();
    StagedRegistration staging(registration);
    Registration& staged = staging.get();
    ManagedState& staged_state = staged.state;
    std::vector<std::string>& staged_notes = staged.notes;
    for (const Feed& feed : registration.feeds) {
        if (*mode == NpmMode::userconfig) {
            write_credential(staged, *config, feed);
        } else {
            remove_credential(staged, *config, feed);
        }
        if (scope) {
            route_scope(staged, *config, feed, *scope);
        }
    }
    if (*mode == NpmMode::userconfig) {
        if (auto warning = link_warning(config->path())) {
            staged_notes.push_back(*warning);
        }
    }
    if (*mode == NpmMode::exec || *mode == NpmMode::pnpm_helper) {
        staged_notes.push_back("npm: no credential is kept at rest (--npm "
                               + registration.arguments.value("npm").value_or("")
                               + "); run npm as `feedz-agent exec -- npm install`.");
    }
    if (config->changed()) {
        // Whoever writes into a file we created shares it, so that the last logout removes it.
        if (!existed || staged_state.owned(k_file, config->path(), config->path())) {
            staged_state.add(
                {registration.token.name, k_file, config->path(), config->path(), "", ""});
        } else {
            remember_mode(staged_state, registration.token.name, config->path());
        }
        if (auto saved = config->save(); !saved) {
            return make_error(Errc::io_error,
                              "npm: " + display_path(config->path())
                                  + " was not changed: " + saved.error().message
                                  + ". Make the file and its directory writable by you, or log "
                                    "in with --npm exec (nothing at rest)");
        }
    }
    staging.commit(registration);
    if (*mode == NpmMode::pnpm_helper) {
        FEEDZ_TRY(register_pnpm_helpers(registration));
    } else {
        FEEDZ_TRY(withdraw_pnpm_helpers(registration));
    }

    // What in the user's npm setup would still get in the way.
    auto configs = load_npm_configs(cwd, environment, home);
    if (configs) {
        std::vector<std::string> registries;
        for (const Feed& feed : registration.feeds) {
            registries.push_back(feed.npm_url());
        }
        for (const auto& finding : npm_preflight(*configs, registries, environment)) {
            registration.notes.push_back("Warning: npm: " + format_npm_finding(finding, home));
        }
    }
    return {};
}

namespace {

Result<void> unregister_from_npmrc(const std::vector<ManagedEntry>& released,
                                   std::vector<std::string>& notes) {
    std::map<std::string, std::vector<ManagedEntry>> by_file;
    for (const auto& entry : released) {
        if (entry.kind.starts_with("npm-")) {
            by_file[entry.file].push_back(entry);
        }
    }
    for (const auto& [path, entries] : by_file) {
        auto config = Npmrc::load(path);
        if (!config) {
            return make_error(config.error().code,
                              "cannot remove feedz-agent's npm lines: " + config.error().message
                                  + ". Fix the file and log out again");
        }
        if (!config->exists()) {
            continue; // the user removed the file: nothing left to clean up
        }
        bool created = false;
        std::optional<ManagedEntry> mode;
        for (const auto& entry : entries) {
            if (entry.kind == k_auth && !entry.written.empty()
                && config->line_digest(entry.key) != entry.written) {
                if (config->find(entry.key)) {
                    notes.push_back("npm: the credential for " + entry.value + " in "
                                    + display_path(path)
                                    + " is not the one feedz-agent wrote; it was left as it is.");
                }
            } else if (entry.kind == k_auth && config->erase(entry.key)) {
                notes.push_back("npm: removed the credential for " + entry.value + " from "
                                + display_path(path) + ".");
            } else if (entry.kind == k_scope) {
                // Only while it still sends the scope where login did.
                auto current = config->find(entry.key);
                if (current && npm_value(current->raw) == entry.value && config->erase(entry.key)) {
                    notes.push_back("npm: removed " + entry.key + "=" + entry.value + " from "
                                    + display_path(path) + ".");
                }
            } else if (entry.kind == k_file) {
                created = true;
            } else if (entry.kind == k_mode) {
                mode = entry;
            }
        }
        if (created && config->text().empty()) {
            // We created it and it is back to empty: the user had no file.
            if (::unlink(resolve_symlinks(path).c_str()) != 0) {
                return make_error(Errc::io_error, "cannot remove " + path);
            }
            continue;
        }
        FEEDZ_TRY(config->save());
        if (mode) {
            restore_mode(*mode, notes);
        }
    }
    return {};
}

} // namespace

Result<void> unregister_from_npm(const std::vector<ManagedEntry>& released,
                                 std::vector<std::string>& notes) {
    // Each file on its own: one that cannot be read must not keep the others' entries (a
    // credential line in ~/.npmrc above all) on disk.
    auto npmrc = unregister_from_npmrc(released, notes);
    auto yarn = unregister_from_yarn(released, notes);
    auto pnpm = unregister_pnpm_helpers(released, notes);
    FEEDZ_TRY(npmrc);
    FEEDZ_TRY(yarn);
    return pnpm;
}

} // namespace feedz
