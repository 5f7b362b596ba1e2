// SPDX-License-Identifier: MIT
#include "npm_checks.hpp"

#include <agent/core/environment.hpp>
#include <agent/core/paths.hpp>

namespace feedz {

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
    return npm_preflight(*configs, registries, environment);
}

} // namespace feedz
