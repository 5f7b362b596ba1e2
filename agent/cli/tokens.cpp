// SPDX-License-Identifier: MIT
// The commands that look at and change stored tokens: list, logout, enable, disable.
#include <agent/cli/common.hpp>
#include <agent/config/managed_state.hpp>
#include <agent/core/token_json.hpp>
#include <agent/npm/npm_login.hpp>
#include <agent/nuget/nuget_login.hpp>

#include <unistd.h>

#include <cstdio>

namespace feedz::cli {

namespace {

std::string describe_expiry(const TokenInfo& info, Date today) {
    auto days = days_until_expiry(info, today);
    if (!days) {
        return "never";
    }
    std::string text = format_date(*info.expires);
    if (*days < 0) {
        return text + " (expired)";
    }
    if (*days <= k_expiry_warning_days) {
        text += *days == 0 ? " (today!)" : " (in " + std::to_string(*days) + "d!)";
    }
    return text;
}

std::string join(const std::vector<std::string>& items) {
    std::string text;
    for (const auto& item : items) {
        text += (text.empty() ? "" : " ") + item;
    }
    return text;
}

void print_table(const std::vector<TokenInfo>& tokens, Date today) {
    std::vector<std::vector<std::string>> rows = {
        {"NAME", "TOKEN", "ACCESS", "EXPIRES", "STATE", "SCOPES"}};
    for (const auto& info : tokens) {
        rows.push_back({info.name,
                        info.display(),
                        to_string(info.access),
                        describe_expiry(info, today),
                        to_string(token_state(info, today)),
                        join(info.scopes)});
    }
    std::vector<std::size_t> widths(rows.front().size(), 0);
    auto display_width = [](const std::string& text) {
        // Count code points, not bytes: the prefix ends in "…".
        std::size_t width = 0;
        for (char c : text) {
            width += (static_cast<unsigned char>(c) & 0xC0U) != 0x80U ? 1U : 0U;
        }
        return width;
    };
    for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            widths[i] = std::max(widths[i], display_width(row[i]));
        }
    }
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
            line += row[i];
            if (i + 1 < row.size()) {
                line += std::string(widths[i] - display_width(row[i]) + 2, ' ');
            }
        }
        std::printf("%s\n", line.c_str());
    }
}

Result<int> run_list(const Context& context, Arguments& arguments, char**) {
    if (!arguments.positional().empty()) {
        return make_error(Errc::invalid_argument,
                          "list takes no arguments; see `feedz-agent list --help`");
    }
    auto connected = context.connect_agent();
    if (!connected) {
        return connected.error();
    }
    Agent& agent = **connected;
    auto tokens = agent.list();
    if (!tokens) {
        return tokens.error();
    }
    Date today = today_utc();
    if (arguments.has("json")) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& info : *tokens) {
            nlohmann::json entry = to_json(info);
            entry["state"] = to_string(token_state(info, today));
            auto days = days_until_expiry(info, today);
            entry["expires_in_days"] = days ? nlohmann::json(*days) : nlohmann::json(nullptr);
            list.push_back(std::move(entry));
        }
        nlohmann::json output = {{"store", agent.greeting().store}, {"tokens", std::move(list)}};
        std::printf("%s\n", output.dump(2).c_str());
        return k_exit_ok;
    }
    if (tokens->empty()) {
        std::printf("No tokens stored. Add one with: feedz-agent login --feed org/repo\n");
        return k_exit_ok;
    }
    print_table(*tokens, today);
    for (const auto& info : *tokens) {
        auto days = days_until_expiry(info, today);
        if (days && *days >= 0 && *days <= k_expiry_warning_days && !info.disabled) {
            std::fprintf(stderr,
                         "feedz-agent: warning: '%s' (%s) expires on %s; create a new token on "
                         "Feedz and run `feedz-agent login --name %s`\n",
                         info.name.c_str(),
                         info.display().c_str(),
                         format_date(*info.expires).c_str(),
                         info.name.c_str());
        }
    }
    return k_exit_ok;
}

Result<std::string> single_name(const Arguments& arguments, const char* command) {
    if (arguments.positional().size() != 1) {
        return make_error(Errc::invalid_argument,
                          std::string(command) + " needs exactly one token NAME; see "
                              + "`feedz-agent list` for the names");
    }
    return arguments.positional().front();
}

// Removes from NuGet and npm configuration what login wrote for `names`, and only that.
Result<void> unregister_tokens(const std::vector<std::string>& names) {
    if (::access(managed_state_path().c_str(), F_OK) != 0) {
        return {}; // login never wrote any configuration
    }
    auto locked = lock_managed_state();
    if (!locked) {
        return locked.error();
    }
    ManagedState& state = locked->state;
    std::vector<ManagedEntry> released;
    for (const auto& name : names) {
        auto entries = state.release(name);
        released.insert(released.end(), entries.begin(), entries.end());
    }
    std::vector<std::string> notes;
    auto nuget = unregister_from_nuget(released, notes);
    auto npm = unregister_from_npm(released, notes);
    for (const auto& note : notes) {
        std::printf("%s\n", note.c_str());
    }
    if (!nuget || !npm) {
        // The records stay, so that `logout NAME` again (after the file is fixed) removes
        // what is left; entries already removed are skipped then.
        FEEDZ_TRY(nuget);
        return npm;
    }
    return state.save();
}

Result<int> run_logout(const Context& context, Arguments& arguments, char**) {
    bool all = arguments.has("all");
    if (all && !arguments.positional().empty()) {
        return make_error(Errc::invalid_argument, "give a NAME or --all, not both");
    }
    std::optional<std::string> name;
    if (!all) {
        auto single = single_name(arguments, "logout");
        if (!single) {
            return single.error();
        }
        name = *single;
    }
    auto connected = context.connect_agent();
    if (!connected) {
        return connected.error();
    }
    Agent& agent = **connected;
    if (all) {
        auto tokens = agent.list();
        if (!tokens) {
            return tokens.error();
        }
        auto erased = agent.erase_all();
        if (!erased) {
            return erased.error();
        }
        std::printf("Removed %zu token%s.\n", *erased, *erased == 1 ? "" : "s");
        std::vector<std::string> names;
        for (const auto& info : *tokens) {
            names.push_back(info.name);
        }
        auto unregistered = unregister_tokens(names);
        if (!unregistered) {
            return unregistered.error();
        }
        return k_exit_ok;
    }
    auto erased = agent.erase(*name);
    if (!erased) {
        return erased.error();
    }
    if (*erased) {
        std::printf("Removed token '%s'.\n", name->c_str());
    }
    // Configuration is cleaned up even when the token itself was already gone.
    auto unregistered = unregister_tokens({*name});
    if (!unregistered) {
        return unregistered.error();
    }
    if (!*erased) {
        return make_error(Errc::not_found,
                          "no token named '" + *name + "'; see `feedz-agent list`");
    }
    return k_exit_ok;
}

Result<int> set_disabled(const Context& context, Arguments& arguments, bool disabled) {
    auto name = single_name(arguments, disabled ? "disable" : "enable");
    if (!name) {
        return name.error();
    }
    auto connected = context.connect_agent();
    if (!connected) {
        return connected.error();
    }
    Agent& agent = **connected;
    auto info = agent.set_disabled(*name, disabled);
    if (!info) {
        return info.error();
    }
    if (disabled) {
        std::printf("Disabled token '%s' (%s): it is kept but never handed out. Undo with "
                    "`feedz-agent enable %s`.\n",
                    info->name.c_str(),
                    info->display().c_str(),
                    info->name.c_str());
    } else {
        std::printf("Enabled token '%s' (%s).\n", info->name.c_str(), info->display().c_str());
        if (token_state(*info, today_utc()) == TokenState::expired) {
            std::printf("Note: it expired on %s and is still not handed out.\n",
                        format_date(*info->expires).c_str());
        }
    }
    return k_exit_ok;
}

Result<int> run_enable(const Context& context, Arguments& arguments, char**) {
    return set_disabled(context, arguments, false);
}

Result<int> run_disable(const Context& context, Arguments& arguments, char**) {
    return set_disabled(context, arguments, true);
}

} // namespace

const Command& list_command() {
    static const Command command{
        "list",
        "show the stored tokens (by their first 7 characters only)",
        "usage: feedz-agent list [--json]\n"
        "\n"
        "Shows each token's name, prefix, access level, expiry, state (active, disabled or\n"
        "expired) and the feeds it is for. Tokens expiring within 7 days are flagged.\n"
        "\n"
        "options:\n"
        "  --json   machine-readable output: {\"store\": ..., \"tokens\": [{\"name\", \"prefix\",\n"
        "           \"scopes\", \"access\", \"expires\", \"created\", \"disabled\", \"state\",\n"
        "           \"expires_in_days\"}]}; it never contains a token\n",
        {{"json", false, false}},
        run_list,
    };
    return command;
}

const Command& logout_command() {
    static const Command command{
        "logout",
        "remove a stored token",
        "usage: feedz-agent logout NAME\n"
        "       feedz-agent logout --all\n"
        "\n"
        "Removes the token NAME (or every token) from the store.\n",
        {{"all", false, false}},
        run_logout,
    };
    return command;
}

const Command& enable_command() {
    static const Command command{
        "enable",
        "hand out a disabled token again",
        "usage: feedz-agent enable NAME\n",
        {},
        run_enable,
    };
    return command;
}

const Command& disable_command() {
    static const Command command{
        "disable",
        "keep a token but never hand it out (mirrors deactivation on Feedz)",
        "usage: feedz-agent disable NAME\n",
        {},
        run_disable,
    };
    return command;
}

} // namespace feedz::cli
