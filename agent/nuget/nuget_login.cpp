// SPDX-License-Identifier: MIT
// NuGet: `login` registers each feed as a v3 source in the user-level NuGet.Config, without
// credentials (nuget-plugin-feedz supplies them); `logout` removes exactly what login added.
#include <agent/core/paths.hpp>
#include <agent/nuget/nuget_config.hpp>
#include <agent/nuget/nuget_login.hpp>
#include <agent/util/file.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <map>

namespace feedz {

namespace {

constexpr const char* k_source = "nuget-source";
constexpr const char* k_section = "nuget-section";
constexpr const char* k_mapping = "nuget-mapping";
constexpr const char* k_file = "nuget-file";
constexpr const char* k_directory = "nuget-directory";
constexpr const char* k_self_closing = "nuget-self-closing";

// A key for the feed's source that no other source uses: org/repo, then with the host.
std::string choose_key(const NuGetConfig& config, const Feed& feed) {
    std::string base = feed.org + "/" + feed.repo;
    if (!config.has_key(base)) {
        return base;
    }
    auto url = normalize_url(feed.root);
    std::string host = url ? url->origin.substr(url->origin.find("://") + 3) : feed.origin;
    host.pop_back();
    std::string with_host = base + " (" + host + ")";
    for (int n = 1;; ++n) {
        std::string candidate = n == 1 ? with_host : with_host + " #" + std::to_string(n);
        if (!config.has_key(candidate)) {
            return candidate;
        }
    }
}

std::string mapping_key(const std::string& source_key, const std::string& pattern) {
    return source_key + "\n" + pattern;
}

Result<void> register_feed(Registration& registration,
                           NuGetConfig& config,
                           const Feed& feed,
                           const std::vector<std::string>& patterns) {
    const std::string& path = config.path();
    const std::string& token = registration.token.name;
    std::string url = feed.nuget_url();
    std::string key;
    if (auto existing = config.key_of_url(url)) {
        key = *existing;
        // Ours already (another token's): share it. The user's own: leave it alone.
        if (auto ours = registration.state.find(k_source, path, key)) {
            registration.state.add({token, k_source, path, key, ours->value, ours->written});
        }
        registration.notes.push_back("NuGet: " + display_path(path) + " already has " + url
                                     + " as source '" + key + "'.");
    } else {
        key = choose_key(config, feed);
        bool new_section = !config.has_section("packageSources");
        // <packageSources /> (or <configuration />, when the section is added to it) is
        // expanded to hold the source; logout collapses it again.
        for (const char* name : {"packageSources", "configuration"}) {
            if (auto text = config.self_closing_text(name)) {
                registration.state.add({token, k_self_closing, path, name, *text, *text});
                break;
            }
        }
        FEEDZ_TRY(config.add_source(key, url));
        registration.state.add(
            {token, k_source, path, key, url, NuGetConfig::source_element(key, url)});
        if (new_section) {
            registration.state.add({token, k_section, path, "packageSources", "", ""});
        }
        registration.notes.push_back("NuGet: added source '" + key + "' (" + url + ") to "
                                     + display_path(path) + ", without credentials: "
                                     + "nuget-plugin-feedz supplies them.");
    }
    if (config.is_disabled(key)) {
        registration.notes.push_back("Warning: NuGet.Config disables source '" + key
                                     + "' (<disabledPackageSources>); enable it with: dotnet "
                                       "nuget enable source \""
                                     + key + "\"");
    }
    if (auto line = config.credentials_line(key)) {
        registration.notes.push_back(
            "Warning: " + display_path(path) + " line " + std::to_string(*line)
            + " has credentials for source '" + key
            + "' (<packageSourceCredentials>); NuGet uses them instead of asking "
              "nuget-plugin-feedz. Remove them: dotnet nuget remove source and add it again, or "
              "delete that entry");
    }
    if (!config.uses_source_mapping()) {
        if (!patterns.empty()) {
            registration.notes.push_back(
                "NuGet: --nuget-pattern ignored: " + display_path(path)
                + " does not use packageSourceMapping, and adding it would stop every other "
                  "source from serving packages.");
        }
        return {};
    }
    for (const auto& pattern : patterns) {
        if (!config.has_mapping(key, pattern)) {
            FEEDZ_TRY(config.add_mapping(key, pattern));
            registration.state.add(
                {token, k_mapping, path, mapping_key(key, pattern), pattern, ""});
        }
    }
    if (!config.has_mapping(key)) {
        registration.notes.push_back(
            "Warning: " + display_path(path)
            + " maps packages to sources (packageSourceMapping), so source '" + key
            + "' serves no package until mapped. Run login again with --nuget-pattern "
              "PATTERN (e.g. --nuget-pattern 'Acme.*') for the packages it should serve.");
    } else if (!patterns.empty()) {
        registration.notes.push_back("NuGet: packages matching the given patterns come from '" + key
                                     + "'.");
    }
    return {};
}

} // namespace

std::vector<OptionSpec> nuget_login_options() {
    return {{"no-nuget", false, false}, {"nuget-pattern", true, true}};
}

bool nuget_wanted(const Arguments& arguments) {
    return !arguments.has("no-nuget");
}

Result<void> register_with_nuget(Registration& registration) {
    if (!nuget_wanted(registration.arguments) || registration.feeds.empty()) {
        return {};
    }
    auto config = NuGetConfig::load(NuGetConfig::user_config_path());
    if (!config) {
        return make_error(config.error().code,
                          "cannot register the feed with NuGet: " + config.error().message
                              + ". Fix the file, or log in with --no-nuget");
    }
    StagedRegistration staging(registration);
    Registration& staged = staging.get();
    ManagedState& staged_state = staged.state;
    auto patterns = registration.arguments.values("nuget-pattern");
    for (const Feed& feed : registration.feeds) {
        FEEDZ_TRY(register_feed(staged, *config, feed, patterns));
    }
    if (config->changed()) {
        const std::string& path = config->path();
        if (config->created()) {
            staged_state.add({registration.token.name, k_file, path, path, "", ""});
            // The directories made for it (~/.nuget, ~/.nuget/NuGet) go again with it.
            for (std::string directory = parent_directory(path);
                 directory != home_directory() && ::access(directory.c_str(), F_OK) != 0;
                 directory = parent_directory(directory)) {
                staged_state.add({registration.token.name, k_directory, path, directory, "", ""});
            }
        } else if (staged_state.owned(k_file, path, path)) {
            // Whoever writes into a file we created shares it (and its directories), so that
            // the last logout, in whichever order, removes it.
            std::vector<ManagedEntry> shared;
            for (const auto& entry : staged_state.entries()) {
                if (entry.file == path && (entry.kind == k_file || entry.kind == k_directory)) {
                    shared.push_back(entry);
                }
            }
            for (auto entry : shared) {
                entry.token = registration.token.name;
                staged_state.add(entry);
            }
        }
        if (auto saved = config->save(); !saved) {
            return make_error(Errc::io_error,
                              "NuGet: the feed was not added to " + display_path(path) + ": "
                                  + saved.error().message
                                  + ". Make the file and its directory writable by you, or log "
                                    "in with --no-nuget");
        }
    }
    staging.commit(registration);
    return {};
}

Result<void> unregister_from_nuget(const std::vector<ManagedEntry>& released,
                                   std::vector<std::string>& notes) {
    std::map<std::string, std::vector<ManagedEntry>> by_file;
    for (const auto& entry : released) {
        if (entry.kind.starts_with("nuget-")) {
            by_file[entry.file].push_back(entry);
        }
    }
    for (auto& [path, entries] : by_file) {
        if (::access(path.c_str(), F_OK) != 0) {
            continue; // the user removed the file: nothing left to clean up
        }
        auto config = NuGetConfig::load(path);
        if (!config) {
            return make_error(config.error().code,
                              "cannot remove feedz-agent's NuGet sources: " + config.error().message
                                  + ". Fix the file and log out again");
        }
        // Mappings before sources before sections, so each removal finds its parent.
        auto rank = [](const ManagedEntry& entry) {
            if (entry.kind == k_mapping) {
                return 0;
            }
            if (entry.kind == k_source) {
                return 1;
            }
            if (entry.kind == k_section) {
                return 2;
            }
            if (entry.kind == k_self_closing) {
                return entry.key == "configuration" ? 4 : 3;
            }
            return 5;
        };
        std::sort(entries.begin(), entries.end(), [&](const auto& a, const auto& b) {
            return rank(a) < rank(b);
        });
        bool remove_file = false;
        for (const auto& entry : entries) {
            if (entry.kind == k_mapping) {
                FEEDZ_TRY(
                    config->remove_mapping(entry.key.substr(0, entry.key.find('\n')), entry.value));
            } else if (entry.kind == k_source) {
                if (!entry.written.empty() && config->source_text(entry.key) != entry.written) {
                    if (config->source_text(entry.key)) {
                        notes.push_back("NuGet: source '" + entry.key + "' in " + display_path(path)
                                        + " is not what feedz-agent wrote; it was left as it is.");
                    }
                    continue;
                }
                auto removed = config->remove_source(entry.key, entry.value);
                if (!removed) {
                    return removed.error();
                }
                if (*removed) {
                    notes.push_back("NuGet: removed source '" + entry.key + "' from "
                                    + display_path(path) + ".");
                }
            } else if (entry.kind == k_section) {
                FEEDZ_TRY(config->remove_section_if_empty(entry.key));
            } else if (entry.kind == k_self_closing) {
                FEEDZ_TRY(config->restore_self_closing(entry.key, entry.value));
            } else if (entry.kind == k_file) {
                remove_file = config->text() == NuGetConfig::new_file_text();
            }
        }
        if (remove_file) {
            // We created it and it is back to what we created: the user had no file.
            if (::unlink(path.c_str()) != 0) {
                return make_error(Errc::io_error, "cannot remove " + path);
            }
            // Deepest first; a directory something else was put into stays.
            std::vector<std::string> directories;
            for (const auto& entry : entries) {
                if (entry.kind == k_directory) {
                    directories.push_back(entry.key);
                }
            }
            std::sort(directories.begin(), directories.end(), [](const auto& a, const auto& b) {
                return a.size() > b.size();
            });
            for (const auto& directory : directories) {
                ::rmdir(directory.c_str());
            }
        } else if (config->changed()) {
            FEEDZ_TRY(config->save());
        }
    }
    return {};
}

} // namespace feedz
