// SPDX-License-Identifier: MIT
// `feedz-agent doctor`: one line per check, and for each failure the command or edit that
// fixes it. Exit 0 only when nothing failed (warnings do not fail).
#include <agent/cli/common.hpp>
#include <agent/core/env_credentials.hpp>
#include <agent/core/environment.hpp>
#include <agent/core/feed.hpp>
#include <agent/core/paths.hpp>
#include <agent/net/feed_probe.hpp>
#include <agent/npm/npm_checks.hpp>
#include <agent/nuget/nuget_checks.hpp>
#include <agent/util/file.hpp>
#include <agent/util/process.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace feedz::cli {

namespace {

enum class Status { ok, info, warning, failure };

const char* to_string(Status status) {
    switch (status) {
    case Status::ok:
        return "ok";
    case Status::info:
        return "info";
    case Status::warning:
        return "warning";
    case Status::failure:
        return "fail";
    }
    return "fail";
}

const char* mark(Status status) {
    switch (status) {
    case Status::ok:
        return "\u2713";
    case Status::info:
        return "\u00b7";
    case Status::warning:
        return "!";
    case Status::failure:
        return "\u2717";
    }
    return "?";
}

struct Check {
    std::string area;
    Status status;
    std::string message;
    std::string fix;
};

std::string join_scopes(const std::vector<std::string>& scopes) {
    std::string text;
    for (const auto& scope : scopes) {
        text += (text.empty() ? "" : ", ") + scope;
    }
    return text;
}

// The feeds a scope names: a feed root is one; an origin ("every feed on the host") is none.
std::optional<Feed> feed_of_scope(const std::string& scope) {
    auto feed = parse_feed(scope);
    if (!feed || feed->root != scope) {
        return std::nullopt;
    }
    return *feed;
}

class Doctor {
public:
    explicit Doctor(const Context& context)
        : m_context(context) {}

    int run(bool json);

private:
    void add(std::string area, Status status, std::string message, std::string fix = "") {
        m_checks.push_back({std::move(area), status, std::move(message), std::move(fix)});
    }

    std::unique_ptr<Agent> check_agent();
    // False when the keychain cannot be read (then the tokens cannot be checked).
    bool check_keychain(Agent& agent);
    void check_tokens(Agent& agent);
    void check_token_against_feed(Agent& agent, const TokenInfo& token, const Feed& feed);
    void check_environment_tokens();
    void judge_answer(const std::string& who,
                      const std::string& relogin,
                      const Feed& feed,
                      const Result<ProbeAnswer>& answer);
    void add_nuget(const std::vector<NuGetFinding>& findings);
    void check_npm();
    void check_clock();

    const Context& m_context;
    std::vector<Check> m_checks;
    std::vector<Feed> m_feeds; // every feed a token is for
    std::vector<std::chrono::system_clock::time_point> m_feed_dates;
    bool m_any_token = false;
};

std::unique_ptr<Agent> Doctor::check_agent() {
    std::string socket = agent_socket_path();
    std::string directory = parent_directory(socket);
    auto agent = m_context.connect_running_agent();
    bool started = false;
    if (!agent) {
        agent = m_context.connect_agent();
        started = true;
    }
    if (!agent) {
        add("agent",
            Status::failure,
            agent.error().message,
            "see the message; `feedz-agent serve --foreground` shows why it cannot start");
        return nullptr;
    }

    struct stat st {};

    if (::lstat(directory.c_str(), &st) == 0) {
        if (!S_ISDIR(st.st_mode) || st.st_uid != ::getuid() || (st.st_mode & 077) != 0) {
            add("agent",
                Status::failure,
                "the socket directory " + directory + " is not private (mode "
                    + octal_mode(st.st_mode) + ", owner uid " + std::to_string(st.st_uid) + ")",
                "chmod 700 " + directory);
        }
    }
    if (::lstat(socket.c_str(), &st) == 0 && (st.st_mode & 0177) != 0) {
        add("agent",
            Status::failure,
            "the socket " + socket + " has mode " + octal_mode(st.st_mode),
            "chmod 600 " + socket);
    }
    const Greeting& greeting = (*agent)->greeting();
    add("agent",
        Status::ok,
        std::string(started ? "started on demand" : "running") + " (pid "
            + std::to_string(greeting.pid) + ", version " + greeting.version + ", socket "
            + display_path(socket) + ")");
    return std::move(*agent);
}

bool Doctor::check_keychain(Agent& agent) {
    // list() makes the agent read the store now, so a keychain locked a moment ago shows.
    auto tokens = agent.list();
    auto status = agent.status();
    if (!status) {
        add("keychain", Status::failure, status.error().message);
        return false;
    }
    if (status->store_error || !tokens) {
        add("keychain",
            Status::failure,
            status->store_error ? status->store_error->message : tokens.error().message,
            "unlock or start the keychain as the message says, then run doctor again");
        return false;
    }
    if (status->store == "memory") {
        add("keychain",
            Status::info,
            "FEEDZ_AGENT_STORE=memory: tokens live in the agent's memory and are lost when it "
            "stops");
        return true;
    }
    add("keychain", Status::ok, "the Secret Service is reachable and unlocked");
    return true;
}

void Doctor::judge_answer(const std::string& who,
                          const std::string& relogin,
                          const Feed& feed,
                          const Result<ProbeAnswer>& answer) {
    if (!answer) {
        add("token",
            Status::warning,
            who + ": could not be checked against " + feed.root + ": " + answer.error().message);
        return;
    }
    if (answer->date) {
        m_feed_dates.push_back(*answer->date);
    }
    std::string what = " (" + std::to_string(answer->status) + " " + answer->reason + ")";
    if (answer->status >= 200 && answer->status < 300) {
        add("token", Status::ok, who + ": accepted by " + feed.root);
    } else if (answer->status == 401) {
        add("token",
            Status::failure,
            who + ": Feedz rejected it at " + feed.root + what
                + ": it was deactivated, expired or revoked",
            "re-activate it on Feedz, or create a new token and run: " + relogin);
    } else if (answer->status == 403) {
        add("token",
            Status::failure,
            who + ": has no access to " + feed.root + what,
            "give the token's user access to the feed on Feedz, or use another token");
    } else if (answer->status == 404) {
        add("token",
            Status::failure,
            who + ": there is no feed at " + feed.root + what,
            "check org/repo, then run: " + relogin);
    } else {
        add("token", Status::warning, who + ": unexpected answer from " + feed.root + what);
    }
}

void Doctor::check_token_against_feed(Agent& agent, const TokenInfo& token, const Feed& feed) {
    std::string who = "'" + token.name + "' (" + token.display() + ")";
    std::string relogin = "feedz-agent login --name " + token.name + " --feed " + feed.root;
    auto lookup = agent.get(feed.nuget_url(), Operation::read, token.name);
    if (!lookup) {
        add("token", Status::failure, who + ": " + lookup.error().message);
        return;
    }
    if (!lookup->token) {
        return; // disabled or expired: reported from its state already
    }
    judge_answer(who, relogin, feed, m_context.probe(feed.nuget_url(), lookup->secret));
}

void Doctor::check_tokens(Agent& agent) {
    auto tokens = agent.list();
    if (!tokens) {
        add("token", Status::failure, tokens.error().message);
        return;
    }
    Date today = today_utc();
    for (const auto& token : *tokens) {
        m_any_token = true;
        std::string who = "'" + token.name + "' (" + token.display() + ")";
        std::string relogin = "feedz-agent login --name " + token.name;
        switch (token_state(token, today)) {
        case TokenState::disabled:
            add("token",
                Status::failure,
                who + ": disabled, so never handed out",
                "feedz-agent enable " + token.name);
            break;
        case TokenState::expired:
            add("token",
                Status::failure,
                who + ": expired on " + format_date(*token.expires),
                "create a new token on Feedz, then: " + relogin + " --expires YYYY-MM-DD");
            break;
        case TokenState::active:
            if (auto days = days_until_expiry(token, today);
                days && *days <= k_expiry_warning_days) {
                add("token",
                    Status::warning,
                    who + ": expires on " + format_date(*token.expires) + " (in "
                        + std::to_string(*days) + " days)",
                    "create a new token on Feedz, then: " + relogin + " --expires YYYY-MM-DD");
            }
            break;
        }
        if (token.access == Access::read) {
            add("token",
                Status::info,
                who
                    + ": read access: restores and installs only; publishing (npm publish, "
                      "dotnet nuget push) needs a read-write token (feedz-agent login "
                      "--access read-write)");
        }
        bool has_feed = false;
        for (const auto& scope : token.scopes) {
            if (auto feed = feed_of_scope(scope)) {
                has_feed = true;
                m_feeds.push_back(*feed);
                if (token_state(token, today) == TokenState::active) {
                    check_token_against_feed(agent, token, *feed);
                }
            }
        }
        if (!has_feed) {
            add("token",
                Status::info,
                who + ": for every feed on " + join_scopes(token.scopes)
                    + "; not checked against a feed");
        }
    }
}

void Doctor::check_environment_tokens() {
    if (!m_context.environment.get(k_env_pat) && !m_context.environment.get(k_env_credentials)) {
        return;
    }
    auto tokens = env_credentials_from_environment(m_context.environment);
    if (!tokens) {
        add("environment",
            Status::failure,
            tokens.error().message,
            "fix FEEDZ_PAT / FEEDZ_CREDENTIALS (see feedz-agent --help)");
        return;
    }
    for (const auto& info : tokens->infos()) {
        m_any_token = true;
        std::string who = info.name + " (" + info.display() + ")";
        for (const auto& scope : info.scopes) {
            auto feed = feed_of_scope(scope);
            if (!feed) {
                add("environment", Status::info, who + ": for every feed on " + scope);
                continue;
            }
            judge_answer(who,
                         "update " + info.name,
                         *feed,
                         m_context.probe(feed->nuget_url(), *tokens->secret(info.name)));
        }
    }
}

void Doctor::add_nuget(const std::vector<NuGetFinding>& findings) {
    for (const auto& finding : findings) {
        Status status = finding.level == NuGetFinding::Level::ok     ? Status::ok
                        : finding.level == NuGetFinding::Level::info ? Status::info
                                                                     : Status::failure;
        add("nuget", status, finding.message, finding.fix);
    }
}

void Doctor::check_npm() {
    auto findings = npm_preflight_here(m_feeds);
    if (!findings) {
        add("npm", Status::warning, findings.error().message);
        return;
    }
    for (const auto& finding : *findings) {
        add("npm",
            Status::failure,
            display_path(finding.file)
                + (finding.line > 0 ? ":" + std::to_string(finding.line) : std::string()) + ": "
                + finding.problem,
            finding.fix);
    }
    if (findings->empty()) {
        add("npm", Status::ok, "no npm configuration problem found");
    }
}

// Expiry is a date: a clock that is far off makes tokens look expired, or valid when not.
void Doctor::check_clock() {
    auto now = std::chrono::system_clock::now();
    if (now < std::chrono::sys_days(std::chrono::year(2024) / 1 / 1)) {
        add("clock",
            Status::failure,
            "the system clock says "
                + format_timestamp(std::chrono::floor<std::chrono::seconds>(now)),
            "set the clock (timedatectl set-ntp true)");
        return;
    }
    for (const auto& date : m_feed_dates) {
        auto skew = std::chrono::duration_cast<std::chrono::seconds>(now - date);
        if (skew > std::chrono::minutes(5) || skew < -std::chrono::minutes(5)) {
            add("clock",
                Status::failure,
                "the system clock is " + std::to_string(skew.count()) + " s off the feed's clock",
                "set the clock (timedatectl set-ntp true)");
            return;
        }
    }
    add("clock",
        Status::ok,
        format_timestamp(std::chrono::floor<std::chrono::seconds>(now))
            + (m_feed_dates.empty() ? "" : ", within 5 minutes of the feed's clock"));
}

int Doctor::run(bool json) {
    // With tokens in the environment (CI) the plugin asks nothing else: neither agent nor
    // keychain is needed, and neither is checked.
    bool environment_only =
        m_context.environment.get(k_env_pat) || m_context.environment.get(k_env_credentials);
    std::unique_ptr<Agent> agent;
    if (environment_only) {
        add("agent",
            Status::info,
            "FEEDZ_PAT or FEEDZ_CREDENTIALS is set: nuget-plugin-feedz takes tokens only from "
            "there, and the agent and the keychain are not checked");
    } else {
        agent = check_agent();
    }
    bool tokens_known = agent && check_keychain(*agent);
    if (tokens_known) {
        check_tokens(*agent);
    }
    check_environment_tokens();
    if (!m_any_token && tokens_known) {
        add("token", Status::failure, "no tokens stored", "feedz-agent login --feed org/repo");
    }
    add_nuget(nuget_plugin_findings(m_context.environment));
    add_nuget(nuget_source_findings(agent.get()));
    check_npm();
    check_clock();

    bool failed = false;
    for (const auto& check : m_checks) {
        failed = failed || check.status == Status::failure;
    }
    if (json) {
        nlohmann::json checks = nlohmann::json::array();
        for (const auto& check : m_checks) {
            checks.push_back({{"area", check.area},
                              {"status", to_string(check.status)},
                              {"message", check.message},
                              {"fix", check.fix}});
        }
        std::printf("%s\n", nlohmann::json({{"ok", !failed}, {"checks", checks}}).dump(2).c_str());
    } else {
        for (const auto& check : m_checks) {
            std::printf(
                "%s %-11s %s\n", mark(check.status), check.area.c_str(), check.message.c_str());
            if (!check.fix.empty() && check.status != Status::ok) {
                std::printf("  %-11s fix: %s\n", "", check.fix.c_str());
            }
        }
    }
    return failed ? k_exit_failure : k_exit_ok;
}

Result<int> run_doctor(const Context& context, Arguments& arguments, char**) {
    if (!arguments.positional().empty()) {
        return make_error(Errc::invalid_argument, "doctor takes no arguments");
    }
    Doctor doctor(context);
    return doctor.run(arguments.has("json"));
}

} // namespace

const Command& doctor_command() {
    static const Command command{
        "doctor",
        "check why something does not authenticate, and say how to fix it",
        "usage: feedz-agent doctor [--json]\n"
        "\n"
        "Checks the agent and its socket, the keychain, every token (state, expiry, and a live\n"
        "request to its feed), FEEDZ_PAT / FEEDZ_CREDENTIALS, whether dotnet finds\n"
        "nuget-plugin-feedz, the NuGet sources login added, the npm configuration, and the\n"
        "clock. One line per check; each failure comes with its fix. Exits 0 only when\n"
        "nothing failed.\n"
        "\n"
        "options:\n"
        "  --json   {\"ok\": bool, \"checks\": [{\"area\", \"status\" (ok, info, warning, fail),\n"
        "           \"message\", \"fix\"}]}; never contains a token\n",
        {{"json", false, false}},
        run_doctor,
    };
    return command;
}

} // namespace feedz::cli
