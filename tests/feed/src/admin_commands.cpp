// SPDX-License-Identifier: MIT
#include "admin_commands.hpp"

#include "base64.hpp"
#include "data_dir.hpp"
#include "date.hpp"
#include "error.hpp"
#include "files.hpp"
#include "names.hpp"
#include "npm_documents.hpp"
#include "npm_package.hpp"
#include "npm_store.hpp"
#include "nuget_store.hpp"
#include "nupkg.hpp"
#include "repo_store.hpp"
#include "token.hpp"
#include "token_store.hpp"

#include <chrono>
#include <iostream>

namespace feed {

namespace {

std::pair<std::string, std::string> split_repo(const std::string& text) {
    auto slash = text.find('/');
    if (slash == std::string::npos) {
        throw UsageError("expected ORG/REPO, got \"" + text + "\"");
    }
    auto org = text.substr(0, slash);
    auto name = text.substr(slash + 1);
    if (!is_valid_repo_name(org) || !is_valid_repo_name(name)) {
        throw UsageError(
            "invalid repository \"" + text
            + "\": ORG and REPO are [A-Za-z0-9][A-Za-z0-9._-]*, at most 64 characters");
    }
    return {org, name};
}

DataDir data_dir(Arguments& args) {
    return DataDir(args.required_option("--data"));
}

std::string checked_token_name(const std::string& name) {
    if (name.empty() || name.size() > 100) {
        throw UsageError("--name must be 1 to 100 characters");
    }
    for (char c : name) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            throw UsageError("--name must not contain control characters");
        }
    }
    return name;
}

} // namespace

int repo_create(Arguments& args) {
    args.accept_only({"--data", "--public"});
    auto data = data_dir(args);
    bool is_public = args.flag("--public");
    auto [org, name] =
        split_repo(args.positionals(1, "repo create --data DIR ORG/REPO [--public]")[0]);

    FileLock lock(data.lock_file());
    RepoStore store(data.repos_file());
    auto repos = store.load();
    bool found = false;
    for (auto& repo : repos) {
        if (repo.org == org && repo.name == name) {
            repo.is_public = is_public;
            found = true;
        }
    }
    if (!found) {
        repos.push_back(Repo{org, name, is_public});
    }
    store.save(repos);
    std::filesystem::create_directories(data.repo_dir(org, name));
    std::cerr << (found ? "updated" : "created") << " repository " << org << "/" << name << " ("
              << (is_public ? "public" : "private") << ")\n";
    return 0;
}

int repo_list(Arguments& args) {
    args.accept_only({"--data"});
    auto data = data_dir(args);
    args.positionals(0, "repo list --data DIR");
    for (const auto& repo : RepoStore(data.repos_file()).load()) {
        std::cout << repo.org << "/" << repo.name << "\t" << (repo.is_public ? "public" : "private")
                  << "\n";
    }
    return 0;
}

int token_create(Arguments& args) {
    args.accept_only({"--data", "--name", "--access", "--expires"});
    auto data = data_dir(args);
    auto name = checked_token_name(args.required_option("--name"));
    auto access_text = args.required_option("--access");
    auto expires_text = args.option("--expires");
    args.positionals(0,
                     "token create --data DIR --name NAME --access read|read-write|full "
                     "[--expires YYYY-MM-DD]");
    auto access = parse_access_level(access_text);
    if (!access) {
        throw UsageError("unknown access level \"" + access_text
                         + "\"; expected read, read-write or full");
    }
    std::optional<Date> expires;
    auto now = std::chrono::system_clock::now();
    if (expires_text) {
        expires = parse_date(*expires_text);
        if (!expires) {
            throw UsageError("bad --expires date \"" + *expires_text
                             + "\"; expected a real date as YYYY-MM-DD");
        }
        if (is_expired(expires, now)) {
            std::cerr << "note: this token is already expired (it expired at the end of "
                      << *expires_text << ", UTC)\n";
        }
    }

    FileLock lock(data.lock_file());
    TokenStore store(data.tokens_file());
    auto records = store.load();
    std::string token;
    bool unique = false;
    while (!unique) {
        token = generate_token();
        unique = true;
        for (const auto& record : records) {
            unique = unique && record.prefix != token_prefix(token);
        }
    }
    TokenRecord record;
    record.prefix = token_prefix(token);
    record.hash = sha256_hex(token);
    record.name = name;
    record.access = *access;
    record.expires = expires;
    record.active = true;
    record.created = format_timestamp(now);
    records.push_back(record);
    store.save(records);

    std::cout << token << std::endl;
    std::cerr << "created token " << record.prefix << "… (" << name << ", "
              << display_name(record.access) << ")\n";
    return 0;
}

int token_list(Arguments& args) {
    args.accept_only({"--data"});
    auto data = data_dir(args);
    args.positionals(0, "token list --data DIR");
    auto now = std::chrono::system_clock::now();
    for (const auto& record : TokenStore(data.tokens_file()).load()) {
        std::string state = !record.active                    ? "deactivated"
                            : is_expired(record.expires, now) ? "expired"
                                                              : "active";
        std::cout << record.prefix << "\t" << record.name << "\t" << to_string(record.access)
                  << "\t" << (record.expires ? format_date(*record.expires) : "never") << "\t"
                  << state << "\t" << record.created << "\n";
    }
    return 0;
}

int token_set_active(Arguments& args, bool active) {
    args.accept_only({"--data"});
    auto data = data_dir(args);
    auto prefix = args.positionals(
        1, std::string("token ") + (active ? "activate" : "deactivate") + " --data DIR PREFIX")[0];
    if (prefix.size() != k_token_prefix_length) {
        throw UsageError("expected the 7-character token prefix (as `token list` shows it)");
    }
    FileLock lock(data.lock_file());
    TokenStore store(data.tokens_file());
    auto records = store.load();
    for (auto& record : records) {
        if (record.prefix == prefix) {
            record.active = active;
            store.save(records);
            std::cerr << (active ? "activated" : "deactivated") << " token " << prefix << "… ("
                      << record.name << ")\n";
            return 0;
        }
    }
    throw FeedError("no token with prefix " + prefix);
}

int package_add(Arguments& args) {
    args.accept_only({"--data"});
    auto data = data_dir(args);
    auto rest = args.positionals_at_least(2, "package add --data DIR ORG/REPO FILE...");
    auto [org, name] = split_repo(rest[0]);
    if (!RepoStore(data.repos_file()).find(org, name)) {
        throw FeedError("unknown repository " + org + "/" + name + " (create it with repo create)");
    }
    auto repo_dir = data.repo_dir(org, name);
    for (std::size_t i = 1; i < rest.size(); ++i) {
        const auto& path = rest[i];
        auto content = read_file(path);
        if (!content) {
            throw FeedError("no such file: " + path);
        }
        if (path.size() > 6 && path.substr(path.size() - 6) == ".nupkg") {
            NupkgInfo info;
            try {
                info = read_nupkg(*content);
            } catch (const FeedError& e) {
                throw FeedError(path + ": " + e.what());
            }
            if (!NugetStore(repo_dir, data.lock_file()).add(info, *content)) {
                throw FeedError(path + ": " + info.id + " " + info.version + " already exists");
            }
            std::cerr << "added NuGet package " << info.id << " " << info.version << "\n";
        } else if (path.size() > 4 && path.substr(path.size() - 4) == ".tgz") {
            nlohmann::json manifest;
            try {
                manifest = read_npm_manifest(*content);
            } catch (const FeedError& e) {
                throw FeedError(path + ": " + e.what());
            }
            auto package = manifest["name"].get<std::string>();
            auto version = manifest["version"].get<std::string>();
            nlohmann::json body = {
                {"name", package},
                {"dist-tags", {{"latest", version}}}, // as npm publish does by default
                {"versions", {{version, manifest}}},
                {"_attachments",
                 {{npm_tarball_file(package, version), {{"data", encode_base64(*content)}}}}},
            };
            NpmStore store(repo_dir, data.lock_file());
            FileLock lock(data.lock_file());
            try {
                auto change = npm_publish(body,
                                          package,
                                          store.load_packument(package),
                                          format_timestamp(std::chrono::system_clock::now()));
                for (const auto& tarball : change.tarballs) {
                    store.write_tarball(package, tarball.file, tarball.data);
                }
                store.save_packument(package, change.packument);
            } catch (const HttpError& e) {
                throw FeedError(path + ": " + e.what());
            }
            std::cerr << "added npm package " << package << "@" << version << "\n";
        } else {
            throw UsageError(path + ": expected a .nupkg or a .tgz");
        }
    }
    return 0;
}

} // namespace feed
