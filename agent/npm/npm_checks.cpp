// SPDX-License-Identifier: MIT
#include "npm_checks.hpp"

#include <agent/config/managed_state.hpp>
#include <agent/core/environment.hpp>
#include <agent/core/paths.hpp>
#include <agent/npm/pnpm_helper.hpp>

namespace feedz {

namespace {

// tokenHelper lines for `registries` that feedz-agent did not write, in ~/.npmrc or pnpm's
// auth.ini: pnpm runs them instead of using our credential (and npm warns about the line in
// ~/.npmrc on every command).
std::vector<NpmFinding> foreign_token_helpers(const Npmrc& user,
                                              const std::vector<std::string>& registries) {
    std::vector<NpmFinding> findings;
    auto state = ManagedState::load(managed_state_path());
    auto auth_ini = Npmrc::load(pnpm_auth_ini_path());
    std::vector<const Npmrc*> files = {&user};
    if (auth_ini) {
        files.push_back(&*auth_ini);
    }
    for (const Npmrc* file : files) {
        for (const auto& registry : registries) {
            auto key = npm_nerf_dart(registry).value_or("") + ":tokenHelper";
            auto entry = file->find(key);
            if (!entry || (file != &user && state && is_our_token_helper(*state, *file, *entry))) {
                continue;
            }
            findings.push_back(
                {file->path(),
                 entry->line,
                 "a tokenHelper for " + registry
                     + " that feedz-agent did not write: pnpm runs it instead of using "
                       "feedz-agent's credential",
                 "delete the line; for a helper that asks feedz-agent, run `feedz-agent login "
                 "--npm pnpm-helper`"});
        }
    }
    return findings;
}

} // namespace

Result<ProbeAnswer>
probe_npm_registry(const Feed& feed, const SecretString& token, const FeedProbe& probe) {
    auto answer = probe(feed.npm_url() + "-/whoami", token);
    if (answer && answer->status == 404) {
        return probe(feed.nuget_url(), token);
    }
    return answer;
}

std::optional<NpmFinding>
judge_npm_answer(const Feed& feed, const TokenInfo& token, const ProbeAnswer& answer) {
    std::string who = "'" + token.name + "' (" + token.display() + ")";
    std::string status = std::to_string(answer.status) + " " + answer.reason;
    if (answer.status == 401) {
        return NpmFinding{feed.npm_url(),
                          0,
                          "the feed rejected the token " + who + " (" + status
                              + "): it is wrong, expired or deactivated on Feedz",
                          "create a token on Feedz and run `feedz-agent login --name " + token.name
                              + " --feed " + feed.root + "`"};
    }
    if (answer.status == 403) {
        return NpmFinding{feed.npm_url(),
                          0,
                          "the token " + who + " has no access to the feed (" + status + ")",
                          "check the token's permissions on Feedz"};
    }
    if (answer.status < 200 || answer.status >= 300) {
        return NpmFinding{feed.npm_url(),
                          0,
                          "unexpected answer to the token " + who + ": " + status,
                          "check the feed URL"};
    }
    return std::nullopt;
}

Result<std::vector<NpmFinding>> npm_preflight_here(const std::vector<Feed>& feeds) {
    NpmEnvironment environment = NpmEnvironment::current();
    auto configs =
        load_npm_configs(process_environment().current_directory(), environment, home_directory());
    if (!configs) {
        return configs.error();
    }
    std::vector<std::string> registries;
    for (const Feed& feed : feeds) {
        registries.push_back(feed.npm_url());
    }
    auto findings = npm_preflight(*configs, registries, environment);
    for (auto& finding : foreign_token_helpers(configs->user, registries)) {
        findings.push_back(std::move(finding));
    }
    return findings;
}

} // namespace feedz
