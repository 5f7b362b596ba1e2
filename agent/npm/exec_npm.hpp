// SPDX-License-Identifier: MIT
// `feedz-agent exec`'s npm half: which feeds a command may need, their tokens, and the user
// config npm gets them from, which exists only in memory while the command runs.
#pragma once

#include <agent/core/feed.hpp>
#include <agent/core/token.hpp>
#include <agent/ipc/agent.hpp>
#include <agent/npm/npm_command.hpp>
#include <agent/npm/npm_files.hpp>
#include <agent/util/result.hpp>
#include <agent/util/secret_string.hpp>

#include <optional>
#include <string>
#include <vector>

namespace feedz {

// One feed's credential in the merged config.
struct NpmFeedCredential {
    Feed feed;
    std::string nerf;
    TokenInfo token;
    SecretString secret;
    Operation operation = Operation::read; // what the token was chosen for
};

// The feeds a command may need when no --feed is given: those the stored tokens were logged
// in for, and Feedz-shaped registries the npm files and environment name.
std::vector<Feed> discover_npm_feeds(const std::vector<TokenInfo>& tokens,
                                     const NpmConfigs& configs,
                                     const NpmEnvironment& environment);

// Looks up the token for each feed: the plan's operation for the feed a write goes to (every
// feed, when that cannot be told: `target` is the registry the write goes to), the lowest
// level that reads for the others. A feed without a usable token is left out, with a warning
// when `warn_missing` (the feeds were named) or some token was passed over. Fails when the
// write needs more access than the stored tokens have.
Result<std::vector<NpmFeedCredential>>
collect_npm_credentials(Agent& agent,
                        const std::vector<Feed>& feeds,
                        const NpmCommandPlan& plan,
                        const std::optional<std::string>& target,
                        bool warn_missing);

// The user's own config with our lines in place of any credential for the same registries,
// pnpm's tokenHelper included (the unscoped one too when `default_registry`, the registry
// npm and pnpm use for unscoped packages, is one of ours).
Npmrc merged_npm_userconfig(const Npmrc& user,
                            const std::vector<NpmFeedCredential>& credentials,
                            const std::optional<std::string>& default_registry);

// NAME=value for the ${NAME} placeholders the project's config puts on our registries' keys,
// so that its line does not override ours with an unset placeholder. An _authToken (sent as
// Bearer, which Feedz refuses) gets an empty value: npm then falls through to our _auth.
std::vector<SecretString>
npm_placeholder_variables(const NpmConfigs& configs,
                          const NpmEnvironment& environment,
                          const std::vector<NpmFeedCredential>& credentials);

// A ${NAME} that a config file puts on a covered feed's credential: what exec would set.
struct CredentialPlaceholder {
    std::string name;
    std::string field; // "_auth", "npmAuthIdent", ...: decides the value
    const NpmFeedCredential* credential = nullptr;
};

// Whether exec may fill `placeholder`: every placeholder of its name in `found` is for the same
// feed and field, and the config files hold no other (`written` counts them all); anywhere else
// (another registry, another feed) the client would send the token too. Warns on stderr when
// not, naming `files`.
bool placeholder_means_one_credential(const std::vector<CredentialPlaceholder>& found,
                                      const CredentialPlaceholder& placeholder,
                                      std::size_t written,
                                      const char* files);

// Whether exec may put a credential into the variable `name`: an identifier, and none that
// changes how programs run (LD_PRELOAD=<token> would make the dynamic loader print the token
// on every start).
bool safe_placeholder_name(const std::string& name);

// A literal credential for one of our registries in the project config beats the user config
// npm gets from us; says so on stderr, as npm will only say 401.
void warn_about_npm_project_credentials(const NpmConfigs& configs,
                                        const std::vector<NpmFeedCredential>& credentials);

} // namespace feedz
