// SPDX-License-Identifier: MIT
#include "credential_broker.hpp"

#include <agent/core/feed.hpp>

namespace feedz::nuget {

namespace {

constexpr std::string_view k_prefix = "feedz-agent: ";

// "'acme/pkgs' (T-abc12…)"
std::string describe(const TokenInfo& token) {
    return "'" + token.name + "' (" + token.display() + ")";
}

std::optional<Operation> next_operation(Operation operation) {
    switch (operation) {
    case Operation::read:
        return Operation::write;
    case Operation::write:
        return Operation::manage;
    case Operation::manage:
        return std::nullopt;
    }
    return std::nullopt;
}

// The feed root of a NuGet source URL when it has the Feedz layout, else the URL.
std::string feed_of(std::string_view uri) {
    auto feed = parse_feed(uri);
    return feed ? feed->root : std::string(uri);
}

} // namespace

const char* to_string(Decision decision) {
    switch (decision) {
    case Decision::success:
        return "success";
    case Decision::not_found:
        return "not_found";
    case Decision::source_error:
        return "source_error";
    case Decision::refused:
        return "refused";
    case Decision::refused_before:
        return "refused_before";
    case Decision::disabled:
        return "disabled";
    case Decision::expired:
        return "expired";
    case Decision::no_token:
        return "no_token";
    case Decision::internal_error:
        return "internal_error";
    }
    return "internal_error";
}

struct CredentialBroker::Findings {
    std::string shown_uri;                      // the source as NuGet gave it, without user info
    std::optional<Error> error;                 // not_found, source_error: why
    Operation operation = Operation::read;      // success: what the token was looked up for
    std::optional<TokenInfo> refused_now;       // the token the feed refused just now (IsRetry)
    std::optional<TokenInfo> refused_before;    // the token left, refused earlier in this process
    std::vector<RejectedTokenInfo> passed_over; // at the source's usual operation
};

bool CredentialBroker::refused(const SecretString& secret) const {
    for (const auto& token : m_refused) {
        if (token == secret) {
            return true;
        }
    }
    return false;
}

void CredentialBroker::say(CredentialAnswer& answer, LogLevel level, const std::string& text) {
    std::string message = std::string(k_prefix) + text;
    if (m_said.insert(message).second) {
        answer.messages.push_back({level, std::move(message)});
    }
}

CredentialAnswer CredentialBroker::answer(std::string_view uri, bool is_retry) {
    CredentialAnswer answer;
    Findings found;
    found.shown_uri = without_user_info(uri);
    auto url = normalize_url(uri);
    if (!url) {
        answer.decision = Decision::not_found;
        found.error = url.error();
        explain(answer, found);
        return answer;
    }
    answer.url = url->text;
    SourceState& state = m_sources[answer.url];

    if (is_retry && state.given) {
        found.refused_now = std::move(state.given);
        state.given.reset();
        m_refused.push_back(std::move(state.given_secret));
    }

    for (std::optional<Operation> operation = state.operation; operation;
         operation = next_operation(*operation)) {
        auto lookup = m_source.lookup(answer.url, *operation);
        if (!lookup) {
            answer.decision = Decision::source_error;
            found.error = lookup.error();
            explain(answer, found);
            return answer;
        }
        if (*operation == state.operation) {
            found.passed_over = lookup->rejected;
        }
        if (!lookup->token) {
            if (!found.refused_now && !found.refused_before) {
                break; // nothing covers the URL: a higher level finds nothing either
            }
            continue;
        }
        if (refused(lookup->secret)) {
            found.refused_before = std::move(lookup->token);
            continue;
        }
        state.operation = *operation;
        answer.token = std::move(lookup->token);
        answer.secret = std::move(lookup->secret);
        answer.decision = Decision::success;
        found.operation = *operation;
        explain(answer, found);
        return answer;
    }

    if (found.refused_now) {
        answer.decision = Decision::refused;
    } else if (found.refused_before) {
        answer.decision = Decision::refused_before;
    } else {
        // The last token passed over for a reason the user can fix decides.
        answer.decision = Decision::no_token;
        for (const auto& rejected : found.passed_over) {
            if (rejected.reason == Rejection::disabled) {
                answer.decision = Decision::disabled;
            } else if (rejected.reason == Rejection::expired) {
                answer.decision = Decision::expired;
            }
        }
    }
    explain(answer, found);
    return answer;
}

void CredentialBroker::explain(CredentialAnswer& answer, const Findings& found) {
    const std::string& uri = found.shown_uri;
    switch (answer.decision) {
    case Decision::not_found:
        answer.detail = found.error->message;
        return;
    case Decision::source_error:
        say(answer,
            LogLevel::warning,
            "cannot get a token for " + uri + " from " + std::string(m_source.description()) + ": "
                + found.error->message);
        answer.detail = found.error->message;
        return;
    case Decision::success: {
        const TokenInfo& token = *answer.token;
        answer.detail = std::string("token for ") + to_string(found.operation);
        if (found.refused_now) {
            say(answer,
                LogLevel::information,
                "the feed refused token " + describe(*found.refused_now) + " for " + uri
                    + "; offering " + describe(token) + ", " + feedz_name(token.access)
                    + ", in case more access is needed");
        }
        if (auto days = days_until_expiry(token, today_utc());
            days && *days <= k_expiry_warning_days) {
            say(answer,
                LogLevel::warning,
                "token " + describe(token) + " expires on " + format_date(*token.expires) + " (in "
                    + std::to_string(*days) + (*days == 1 ? " day" : " days")
                    + "); create a new one on Feedz and store it with `feedz-agent login --name "
                    + token.name + "`");
        }
        return;
    }
    case Decision::refused: {
        const TokenInfo& token = *found.refused_now;
        std::string level_note =
            token.access == Access::unknown
                ? ""
                : std::string("; '") + token.name + "' is " + feedz_name(token.access);
        std::string fix;
        if (m_source.from_environment()) {
            fix = "replace it in FEEDZ_PAT/FEEDZ_CREDENTIALS (publishing needs a Read/Write token)";
        } else {
            std::string scope = token.scopes.empty() ? feed_of(uri) : token.scopes.front();
            fix = "create a new token on Feedz and run `feedz-agent login --name " + token.name
                  + "`, or, to publish, store a Read/Write token with `feedz-agent login --feed "
                  + scope + " --access read-write --name " + token.name + "-write`";
        }
        say(answer,
            LogLevel::warning,
            "the feed rejected token " + describe(token) + " for " + uri
                + ". It was likely deactivated or expired on Feedz (deactivation takes effect "
                  "within 15 s), or it lacks the access level needed (publishing needs Read/Write"
                + level_note + "). It is not offered again by this process. To fix: " + fix);
        answer.detail = "token refused by the feed: " + token.prefix;
        return;
    }
    case Decision::refused_before:
        say(answer,
            LogLevel::warning,
            "token " + describe(*found.refused_before)
                + " was rejected by the feed earlier in this run and is not offered again for "
                + uri);
        answer.detail = "token refused earlier: " + found.refused_before->prefix;
        return;
    case Decision::disabled:
    case Decision::expired:
        for (const auto& rejected : found.passed_over) {
            const TokenInfo& token = rejected.token;
            if (rejected.reason == Rejection::disabled) {
                say(answer,
                    LogLevel::warning,
                    "token " + describe(token) + " for " + uri
                        + " is disabled, so it was not used; turn it back on with `feedz-agent "
                          "enable "
                        + token.name + "`");
            } else if (rejected.reason == Rejection::expired) {
                say(answer,
                    LogLevel::warning,
                    "token " + describe(token) + " for " + uri + " expired"
                        + (token.expires ? " on " + format_date(*token.expires) : std::string())
                        + ", so it was not used; create a new token on Feedz and store it with "
                          "`feedz-agent login --name "
                        + token.name + "`");
            }
        }
        return;
    case Decision::no_token:
        say(answer,
            LogLevel::information,
            m_source.from_environment()
                ? "FEEDZ_PAT/FEEDZ_CREDENTIALS hold no token for " + uri
                : "no token is stored for " + uri + "; store one with `feedz-agent login --feed "
                      + feed_of(uri) + "`");
        return;
    case Decision::internal_error:
        return;
    }
}

void CredentialBroker::delivered(const CredentialAnswer& answer) {
    if (!answer.token || answer.url.empty()) {
        return;
    }
    SourceState& state = m_sources[answer.url];
    state.given = answer.token;
    state.given_secret = answer.secret.clone();
}

} // namespace feedz::nuget
