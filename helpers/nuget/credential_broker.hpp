// SPDX-License-Identifier: MIT
#pragma once

#include "credential_source.hpp"
#include "plugin_messages.hpp"
#include <agent/core/token.hpp>
#include <agent/util/secret_string.hpp>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace feedz::nuget {

// The user name sent with every token: Feedz ignores it but NuGet needs a non-empty one.
inline constexpr std::string_view k_username = "feedz";

// A message for the user, sent to NuGet as a Log request.
struct UserMessage {
    LogLevel level = LogLevel::warning;
    std::string text;
};

// Why a GetAuthenticationCredentials request got the answer it got.
enum class Decision {
    success,        // a token is offered
    not_found,      // the source is not a URL
    source_error,   // the agent or the environment could not be asked
    refused,        // the feed refused the token just given, and no other is left
    refused_before, // the only token left was refused earlier in this process
    disabled,       // a token covers the source but is disabled
    expired,        // a token covers the source but has expired
    no_token,       // no usable token covers the source
    internal_error, // the broker failed (the session answers NotFound)
};

// The name of `decision` in the diagnostic log ("success", "no_token", ...).
const char* to_string(Decision decision);

// The answer to one GetAuthenticationCredentials request.
struct CredentialAnswer {
    std::string url;                // the normalised source URL ("" when it is not one)
    std::optional<TokenInfo> token; // set: answer Success with `secret`; unset: NotFound
    SecretString secret;
    std::vector<UserMessage> messages;
    Decision decision = Decision::not_found;
    std::string detail; // for the diagnostic log; never a token
};

// Decides which token NuGet gets for a package source, and remembers within the plugin process
// which tokens the feed refused.
//
// NuGet does not say whether it restores or pushes, so the first answer for a source is the
// token for `read` (the least privileged). `IsRetry` means the feed answered 401/403 to the token
// given: that token is never handed out again in this process, and the broker asks for `write`,
// then `manage`, as long as that yields a different token. This is how `dotnet nuget push` gets
// a Read/Write token after the feed refused a Read one with 403. When nothing is left the answer
// is NotFound with a Warning that names the token by its prefix and says what to do.
//
// Only one thread may use a broker (the session's look-up thread).
class CredentialBroker {
public:
    explicit CredentialBroker(CredentialSource& source)
        : m_source(source) {}

    // The answer to GetAuthenticationCredentials for the source `uri`.
    CredentialAnswer answer(std::string_view uri, bool is_retry);

    // Records that `answer` (a Success) reached NuGet: an IsRetry for its source now means the
    // feed refused that token. An answer that was cancelled is never recorded.
    void delivered(const CredentialAnswer& answer);

private:
    struct SourceState {
        Operation operation = Operation::read;
        std::optional<TokenInfo> given;
        SecretString given_secret;
    };

    // What answer() found on its way to a decision, for explain().
    struct Findings;

    bool refused(const SecretString& secret) const;

    // The messages for the user and the log's detail of `answer`, whose decision is made: the
    // one place that words them.
    void explain(CredentialAnswer& answer, const Findings& found);

    // Adds "feedz-agent: `text`" to `answer` unless it was already said in this process.
    void say(CredentialAnswer& answer, LogLevel level, const std::string& text);

    CredentialSource& m_source;
    std::map<std::string, SourceState, std::less<>> m_sources;
    std::vector<SecretString> m_refused;
    std::set<std::string, std::less<>> m_said;
};

} // namespace feedz::nuget
