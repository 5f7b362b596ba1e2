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

bool CredentialBroker::refused(const SecretString& secret) const {
    for (const auto& token : m_refused) {
        if (token == secret) {
            return true;
        }
    }
    return false;
}

void CredentialBroker::say(CredentialAnswer& answer, LogLevel level, std::string text) {
    if (m_said.insert(text).second) {
        answer.messages.push_back({level, std::move(text)});
    }
}

CredentialAnswer CredentialBroker::answer(std::string_view uri, bool is_retry) {
    CredentialAnswer answer;
    const std::string shown_uri = without_user_info(uri);
    auto url = normalize_url(uri);
    if (!url) {
        answer.decision = "not_found";
        answer.detail = url.error().message;
        return answer;
    }
    answer.url = url->text;
    SourceState& state = m_sources[answer.url];
    const bool from_environment = m_source.from_environment();

    std::optional<TokenInfo> refused_now;
    if (is_retry && state.given) {
        refused_now = std::move(state.given);
        state.given.reset();
        m_refused.push_back(std::move(state.given_secret));
    }

    std::vector<RejectedTokenInfo> passed_over; // by the look-up at the source's usual level
    std::optional<TokenInfo> refused_before;
    for (std::optional<Operation> operation = state.operation; operation;
         operation = next_operation(*operation)) {
        auto lookup = m_source.lookup(answer.url, *operation);
        if (!lookup) {
            say(answer,
                LogLevel::warning,
                std::string(k_prefix) + "cannot get a token for " + shown_uri + " from "
                    + std::string(m_source.description()) + ": " + lookup.error().message);
            answer.decision = "source_error";
            answer.detail = lookup.error().message;
            return answer;
        }
        if (*operation == state.operation) {
            passed_over = lookup->rejected;
        }
        if (!lookup->token) {
            if (!refused_now && !refused_before) {
                break; // nothing covers the URL: a higher level finds nothing either
            }
            continue;
        }
        if (refused(lookup->secret)) {
            refused_before = std::move(lookup->token);
            continue;
        }
        state.operation = *operation;
        answer.token = std::move(lookup->token);
        answer.secret = std::move(lookup->secret);
        answer.decision = "success";
        answer.detail = std::string("token for ") + to_string(*operation);
        if (refused_now) {
            say(answer,
                LogLevel::information,
                std::string(k_prefix) + "the feed refused token " + describe(*refused_now) + " for "
                    + shown_uri + "; offering " + describe(*answer.token) + ", "
                    + feedz_name(answer.token->access) + ", in case more access is needed");
        }
        if (auto days = days_until_expiry(*answer.token, today_utc());
            days && *days <= k_expiry_warning_days) {
            say(answer,
                LogLevel::warning,
                std::string(k_prefix) + "token " + describe(*answer.token) + " expires on "
                    + format_date(*answer.token->expires) + " (in " + std::to_string(*days)
                    + (*days == 1 ? " day" : " days")
                    + "); create a new one on Feedz and store it with `feedz-agent login --name "
                    + answer.token->name + "`");
        }
        return answer;
    }

    // NotFound. Say why, when there is something the user can do about it.
    if (refused_now) {
        const TokenInfo& token = *refused_now;
        std::string level_note =
            token.access == Access::unknown
                ? ""
                : std::string("; '") + token.name + "' is " + feedz_name(token.access);
        std::string fix;
        if (from_environment) {
            fix = "replace it in FEEDZ_PAT/FEEDZ_CREDENTIALS (publishing needs a Read/Write token)";
        } else {
            std::string scope = token.scopes.empty() ? feed_of(shown_uri) : token.scopes.front();
            fix = "create a new token on Feedz and run `feedz-agent login --name " + token.name
                  + "`, or, to publish, store a Read/Write token with `feedz-agent login --feed "
                  + scope + " --access read-write --name " + token.name + "-write`";
        }
        say(answer,
            LogLevel::warning,
            std::string(k_prefix) + "the feed rejected token " + describe(token) + " for "
                + shown_uri
                + ". It was likely deactivated or expired on Feedz (deactivation takes effect "
                  "within 15 s), or it lacks the access level needed (publishing needs Read/Write"
                + level_note + "). It is not offered again by this process. To fix: " + fix);
        answer.decision = "refused";
        answer.detail = "token refused by the feed: " + token.prefix;
        return answer;
    }
    if (refused_before) {
        say(answer,
            LogLevel::warning,
            std::string(k_prefix) + "token " + describe(*refused_before)
                + " was rejected by the feed earlier in this run and is not offered again for "
                + shown_uri);
        answer.decision = "refused_before";
        answer.detail = "token refused earlier: " + refused_before->prefix;
        return answer;
    }
    answer.decision = "no_token";
    for (const auto& rejected : passed_over) {
        const TokenInfo& token = rejected.token;
        if (rejected.reason == Rejection::disabled) {
            say(answer,
                LogLevel::warning,
                std::string(k_prefix) + "token " + describe(token) + " for " + shown_uri
                    + " is disabled, so it was not used; turn it back on with `feedz-agent enable "
                    + token.name + "`");
            answer.decision = "disabled";
        } else if (rejected.reason == Rejection::expired) {
            say(answer,
                LogLevel::warning,
                std::string(k_prefix) + "token " + describe(token) + " for " + shown_uri
                    + " expired"
                    + (token.expires ? " on " + format_date(*token.expires) : std::string())
                    + ", so it was not used; create a new token on Feedz and store it with "
                      "`feedz-agent login --name "
                    + token.name + "`");
            answer.decision = "expired";
        }
    }
    if (answer.decision == "no_token") {
        say(answer,
            LogLevel::information,
            std::string(k_prefix)
                + (from_environment ? "FEEDZ_PAT/FEEDZ_CREDENTIALS hold no token for " + shown_uri
                                    : "no token is stored for " + shown_uri
                                          + "; store one with `feedz-agent login --feed "
                                          + feed_of(shown_uri) + "`"));
    }
    return answer;
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
