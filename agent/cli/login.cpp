// SPDX-License-Identifier: MIT
#include <agent/cli/common.hpp>
#include <agent/cli/secret_input.hpp>
#include <agent/config/managed_state.hpp>
#include <agent/core/feed.hpp>
#include <agent/core/token.hpp>
#include <agent/net/feed_probe.hpp>
#include <agent/npm/npm_checks.hpp>
#include <agent/npm/npm_login.hpp>
#include <agent/nuget/nuget_login.hpp>

#include <unistd.h>

#include <cstdio>
#include <cstring>

namespace feedz::cli {

namespace {

struct LoginRequest {
    TokenInfo info;
    std::vector<Feed> feeds;
};

// Everything but the token, checked before the token is even asked for.
Result<LoginRequest> parse_request(const Arguments& arguments) {
    if (!arguments.positional().empty()) {
        const std::string& argument = arguments.positional().front();
        if (validate_token(argument)) {
            return make_error(Errc::invalid_argument,
                              "unexpected argument " + quote_argument(argument)
                                  + ", which looks like a token: nothing was stored. Give the "
                                    "token at the prompt or with --pat-stdin (and consider "
                                    "it exposed in your shell history)");
        }
        return make_error(Errc::invalid_argument,
                          "unexpected argument " + quote_argument(argument)
                              + "; give feeds with --feed (see `feedz-agent login --help`)");
    }
    if (arguments.has("pat") && arguments.has("pat-stdin")) {
        return make_error(Errc::invalid_argument,
                          "give the token with --pat or --pat-stdin, not both");
    }
    LoginRequest request;
    for (const auto& text : arguments.values("feed")) {
        auto feed = parse_feed(text);
        if (!feed) {
            return feed.error();
        }
        request.feeds.push_back(*feed);
        request.info.scopes.push_back(feed->root);
    }
    if (request.info.scopes.empty()) {
        // A Feedz token works for every feed its user can reach.
        request.info.scopes.emplace_back(k_default_host_root);
    }
    if (auto name = arguments.value("name")) {
        request.info.name = *name;
    } else if (!request.feeds.empty()) {
        request.info.name = request.feeds.front().org + "/" + request.feeds.front().repo;
    } else {
        request.info.name = "default";
    }
    FEEDZ_TRY(validate_token_name(request.info.name));
    FEEDZ_TRY(check_npm_arguments(arguments, request.feeds.size()));
    if (auto access = arguments.value("access")) {
        auto level = access_from_string(*access);
        if (!level || *level == Access::unknown) {
            return make_error(Errc::invalid_argument,
                              "unknown access level '" + *access
                                  + "': use read, read-write or full (as shown on Feedz)");
        }
        request.info.access = *level;
    }
    if (auto expires = arguments.value("expires")) {
        auto date = parse_date(*expires);
        if (!date) {
            return make_error(Errc::invalid_argument,
                              "bad expiry date '" + *expires
                                  + "': use YYYY-MM-DD, e.g. 2027-01-31");
        }
        if (*date < today_utc()) {
            return make_error(Errc::invalid_argument,
                              "the expiry date " + *expires
                                  + " is in the past: this token no longer works; create a new "
                                    "one on Feedz");
        }
        request.info.expires = date;
    }
    return request;
}

Result<SecretString> read_token(Arguments& arguments, char** argv) {
    if (arguments.has("pat")) {
        std::fprintf(stderr,
                     "feedz-agent: note: --pat leaves the token in your shell history and shows "
                     "it to `ps`; prefer --pat-stdin or the prompt\n");
        // Take it without copies; /proc/<pid>/cmdline shows the wiped argv from here on.
        SecretString secret = arguments.take_secret("pat");
        if (auto index = arguments.argv_index("pat")) {
            char* text = argv[*index];
            if (std::strncmp(text, "--pat=", 6) == 0) {
                text += 6;
            }
            wipe_memory(text, std::strlen(text));
        }
        return secret;
    }
    if (arguments.has("pat-stdin")) {
        return read_secret_from_stdin();
    }
    return prompt_secret("Feedz personal access token (input hidden): ");
}

std::string describe_scopes(const std::vector<std::string>& scopes) {
    std::string text;
    for (const auto& scope : scopes) {
        text += (text.empty() ? "" : ", ") + scope;
    }
    return text;
}

// Asks the feed whether it takes the token, the way npm or NuGet will: nothing is stored when
// the feed says no. One request per feed: the token rules are the feed's, whichever protocol
// asks, so npm's whoami when npm will use the token, else the NuGet service index.
Result<void> verify_token(const Context& context,
                          const LoginRequest& request,
                          const SecretString& secret,
                          const Arguments& arguments) {
    bool npm = npm_wanted(arguments);
    for (const Feed& feed : request.feeds) {
        std::string url = npm ? feed.npm_url() + "-/whoami" : feed.nuget_url();
        auto answer =
            npm ? probe_npm_registry(feed, secret, context.probe) : context.probe(url, secret);
        if (!answer) {
            return make_error(Errc::io_error,
                              "cannot check the token against " + feed.root + ": "
                                  + answer.error().message
                                  + ". Nothing was stored; to store the token without checking "
                                    "it, add --no-verify");
        }
        std::string what = " (" + std::to_string(answer->status) + " " + answer->reason + ")";
        if (answer->status == 401) {
            return make_error(Errc::token_rejected,
                              "the feed rejected the token " + request.info.display() + what
                                  + ": it is wrong, expired or deactivated on Feedz. Nothing "
                                    "was stored");
        }
        if (answer->status == 403) {
            return make_error(Errc::token_rejected,
                              "the token " + request.info.display() + " has no access to "
                                  + feed.root + what
                                  + ". Nothing was stored; check the feed and the token's "
                                    "permissions on Feedz");
        }
        if (answer->status == 404) {
            return make_error(Errc::invalid_argument,
                              "there is no feed at " + feed.root + what
                                  + ". Nothing was stored; check org/repo");
        }
        if (answer->status < 200 || answer->status >= 300) {
            return make_error(Errc::io_error,
                              "unexpected answer from " + url + what
                                  + ". Nothing was stored; to store the token anyway, add "
                                    "--no-verify");
        }
    }
    return {};
}

// Registers the feeds with NuGet and npm and records what was written.
Result<void> register_feeds(const LoginRequest& request,
                            const SecretString& secret,
                            const Arguments& arguments,
                            std::vector<std::string>& notes) {
    if (request.feeds.empty() || (!nuget_wanted(arguments) && !npm_wanted(arguments))) {
        return {};
    }
    auto locked = lock_managed_state();
    if (!locked) {
        return locked.error();
    }
    ManagedState& state = locked->state;
    Registration registration{request.info, request.feeds, secret, arguments, state, notes};
    auto nuget = register_with_nuget(registration);
    auto npm = nuget ? register_with_npm(registration) : Result<void>();
    // Each integration records only what it saved, so this keeps what did reach the disk
    // when the other failed.
    FEEDZ_TRY(state.save());
    FEEDZ_TRY(nuget);
    return npm;
}

Result<int> run_login(const Context& context, Arguments& arguments, char** argv) {
    auto request = parse_request(arguments);
    if (!request) {
        return request.error();
    }
    auto secret = read_token(arguments, argv);
    if (!secret) {
        return secret.error();
    }
    if (auto valid = validate_token(secret->view()); !valid) {
        return valid.error();
    }
    request->info.prefix = token_prefix(secret->view());
    bool verify = !arguments.has("no-verify") && !request->feeds.empty();
    if (verify) {
        if (auto verified = verify_token(context, *request, *secret, arguments); !verified) {
            return verified.error();
        }
    }

    auto connected = context.connect_agent();
    if (!connected) {
        return connected.error();
    }
    Agent& agent = **connected;
    auto stored = agent.store(request->info, *secret);
    if (!stored) {
        return stored.error();
    }
    const TokenInfo& info = request->info;
    std::printf("Stored token '%s' (%s) in the %s store for %s.\n",
                info.name.c_str(),
                info.display().c_str(),
                agent.greeting().store.c_str(),
                describe_scopes(info.scopes).c_str());
    if (verify) {
        std::printf("The feed accepted the token.\n");
    } else if (!request->feeds.empty()) {
        std::printf("The token was not checked against the feed (--no-verify).\n");
    } else {
        std::printf("No --feed given: the token was not checked, and no NuGet or npm "
                    "configuration was written.\n");
    }
    if (*stored) {
        std::printf("Note: the same token is also stored as '%s'; remove one with "
                    "`feedz-agent logout NAME`.\n",
                    (*stored)->c_str());
    }
    if (auto days = days_until_expiry(info, today_utc()); days && *days <= k_expiry_warning_days) {
        std::printf("Warning: it expires on %s (in %lld day%s); create a new one on Feedz soon.\n",
                    format_date(*info.expires).c_str(),
                    static_cast<long long>(*days),
                    *days == 1 ? "" : "s");
    }
    std::vector<std::string> notes;
    auto registered = register_feeds(*request, *secret, arguments, notes);
    for (const auto& note : notes) {
        std::printf("%s\n", note.c_str());
    }
    if (!registered) {
        Error error = registered.error();
        error.hint = "the token is stored, but the feed was not registered; fix the above and "
                     "run the same login again to finish the configuration";
        error.exit_code = k_exit_failure;
        return error;
    }
    return k_exit_ok;
}

} // namespace

std::vector<OptionSpec> login_options() {
    std::vector<OptionSpec> options = {{"pat", true, false},
                                       {"pat-stdin", false, false},
                                       {"feed", true, true},
                                       {"name", true, false},
                                       {"access", true, false},
                                       {"expires", true, false},
                                       {"no-verify", false, false}};
    for (auto extra : {nuget_login_options(), npm_login_options()}) {
        options.insert(options.end(), extra.begin(), extra.end());
    }
    return options;
}

const Command& login_command() {
    static const Command command{
        "login",
        "store a personal access token for one or more feeds",
        "usage: feedz-agent login [--pat TOKEN | --pat-stdin] [--feed FEED]... [--name NAME]\n"
        "                         [--access read|read-write|full] [--expires YYYY-MM-DD]\n"
        "                         [--npm userconfig|exec|pnpm-helper|none] [--npm-scope @SCOPE]\n"
        "                         [--yarn auto|berry|none]\n"
        "                         [--no-nuget] [--nuget-pattern PATTERN]... [--no-verify]\n"
        "\n"
        "Checks a Feedz personal access token against each feed, stores it in the keychain\n"
        "through the agent, and registers the feeds with NuGet and npm. Without --pat or\n"
        "--pat-stdin the token is asked for on the terminal without echo.\n"
        "\n"
        "options:\n"
        "  --pat TOKEN        the token (visible in shell history and `ps`: prefer the others)\n"
        "  --pat-stdin        read the token from standard input\n"
        "  --feed FEED        a feed the token is for (repeatable); without one, every feed on\n"
        "                     https://f.feedz.io/ (then nothing is checked or registered).\n"
        "                     FEED is org/repo, a feed URL, a NuGet .../nuget/index.json URL or\n"
        "                     an npm .../npm/ URL\n"
        "  --name NAME        what to call the token (default: org/repo of the first feed)\n"
        "  --access LEVEL     the token's level on Feedz: read, read-write or full; lets the\n"
        "                     agent pick the least privileged token for each operation\n"
        "  --expires DATE     the token's expiry date (YYYY-MM-DD, UTC); an expired token is\n"
        "                     never handed out\n"
        "  --npm MODE         userconfig (default): the feed's auth line in ~/.npmrc, so plain\n"
        "                     npm works; exec: nothing at rest, use `feedz-agent exec -- npm\n"
        "                     ...`; pnpm-helper: exec, and plain pnpm (11+) asks the agent\n"
        "                     for a Read token through a tokenHelper in\n"
        "                     ~/.config/pnpm/auth.ini; none: leave npm alone\n"
        "  --npm-scope @S     also route packages of scope @S to the feed (@S:registry=...)\n"
        "  --yarn MODE        berry: entries for yarn 2+ in ~/.yarnrc.yml, with no credential\n"
        "                     (run yarn as `feedz-agent exec -- yarn ...`); none; auto\n"
        "                     (default): berry when a .yarnrc.yml is in ~ or here or above\n"
        "  --no-nuget         do not add the feed to ~/.nuget/NuGet/NuGet.Config\n"
        "  --nuget-pattern P  when NuGet.Config uses packageSourceMapping, map packages\n"
        "                     matching P (e.g. 'Acme.*') to the feed (repeatable)\n"
        "  --no-verify        store the token without checking it against each feed first (a\n"
        "                     GET of the feed's npm -/whoami, or of its NuGet service index)\n"
        "\n"
        "Logging in again under the same name replaces the token; running the same login twice\n"
        "changes nothing the second time. `feedz-agent logout NAME` removes exactly what login\n"
        "added.\n",
        login_options(),
        run_login,
    };
    return command;
}

} // namespace feedz::cli
