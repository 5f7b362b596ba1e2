// SPDX-License-Identifier: MIT
// `feedz-agent token-helper --feed FEED`: what the scripts of `login --npm pnpm-helper` run for
// pnpm's tokenHelper. It prints the Authorization header value for FEED and nothing else;
// anything wrong goes to stderr (pnpm shows only that the helper failed, so the message says
// how to see it).
#include <agent/cli/common.hpp>
#include <agent/core/environment.hpp>
#include <agent/core/feed.hpp>
#include <agent/core/token_rejections.hpp>
#include <agent/npm/pnpm_helper.hpp>

#include <cstdio>

namespace feedz::cli {

namespace {

Result<int> run_token_helper(const Context& context, Arguments& arguments, char**) {
    auto text = arguments.value("feed");
    if (!text) {
        return make_error(Errc::invalid_argument,
                          "token-helper needs --feed FEED: it prints the Authorization "
                          "header for FEED (pnpm's tokenHelper runs it)");
    }
    auto feed = parse_feed(*text);
    if (!feed) {
        return feed.error();
    }
    // Under `feedz-agent exec`, the level exec chose for the feed (a publish gets Read/Write).
    Operation operation = exec_access_for(*feed, context.environment.get(k_env_exec_access));
    auto agent = context.connect_agent();
    if (!agent) {
        return agent.error();
    }
    auto lookup = (*agent)->get(feed->npm_url(), operation);
    if (!lookup) {
        return lookup.error();
    }
    if (!lookup->token) {
        std::string why = lookup->rejected.empty() ? "no token is stored for it"
                                                   : describe_rejections(lookup->rejected);
        return make_error(Errc::not_found,
                          "no usable token for " + feed->npm_url() + " (" + why
                              + "): run `feedz-agent login --feed " + feed->root
                              + " --npm pnpm-helper`");
    }
    SecretString header = pnpm_authorization(lookup->secret.view());
    lookup->secret.clear();
    bool written = std::fwrite(header.view().data(), 1, header.size(), stdout) == header.size()
                   && std::fputc('\n', stdout) != EOF && std::fflush(stdout) == 0;
    return written ? k_exit_ok : k_exit_failure;
}

} // namespace

const Command& token_helper_command() {
    static const Command command{
        "token-helper",
        "print the Authorization header for a feed (what pnpm's tokenHelper runs)",
        "usage: feedz-agent token-helper --feed FEED\n"
        "\n"
        "Prints `Basic base64(feedz:TOKEN)` for the least privileged token that reads FEED,\n"
        "and nothing else. `login --npm pnpm-helper` writes a script per feed that runs this,\n"
        "and names it as the feed's tokenHelper in pnpm's auth.ini, so that pnpm asks the\n"
        "agent whenever it needs the credential. Under `feedz-agent exec` it serves the\n"
        "level exec chose for the feed (exec names it in FEEDZ_AGENT_EXEC_ACCESS), so that\n"
        "`exec -- pnpm publish` gets the Read/Write token. When pnpm reports that the helper\n"
        "failed, run the script it names to see why.\n"
        "\n"
        "options:\n"
        "  --feed FEED   the feed (org/repo, a feed URL or its npm .../npm/ URL)\n",
        {{"feed", true, false}},
        run_token_helper,
    };
    return command;
}

} // namespace feedz::cli
