// SPDX-License-Identifier: MIT
#include <agent/core/selection.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

using namespace feedz;

namespace {

Date make_date(int year, unsigned month, unsigned day) {
    return Date(std::chrono::year_month_day(
        std::chrono::year(year), std::chrono::month(month), std::chrono::day(day)));
}

const Date k_today = make_date(2026, 6, 15);
const Date k_yesterday = make_date(2026, 6, 14);
const Date k_next_year = make_date(2027, 6, 15);

// The URL most tests ask about, and scopes of decreasing length that cover it.
const std::string k_url = "https://f.feedz.io/acme/pkgs/npm/left-pad";
const std::string k_feed_scope = "https://f.feedz.io/acme/pkgs/";
const std::string k_org_scope = "https://f.feedz.io/acme/";
const std::string k_host_scope = "https://f.feedz.io/";

// Scopes that do not cover k_url.
const std::string k_sibling_scope = "https://f.feedz.io/acme/pkgs2/";
const std::string k_other_host_scope = "https://g.feedz.io/";

TokenInfo make_token(std::string name,
                     std::vector<std::string> scopes,
                     Access access = Access::read,
                     std::int64_t created = 1'700'000'000) {
    TokenInfo info;
    info.name = std::move(name);
    info.prefix = "T-" + info.name.substr(0, 5);
    info.scopes = std::move(scopes);
    info.access = access;
    info.created = Timestamp(std::chrono::seconds(created));
    return info;
}

TokenInfo disabled(TokenInfo info) {
    info.disabled = true;
    return info;
}

TokenInfo expiring(TokenInfo info, Date date) {
    info.expires = date;
    return info;
}

// The name of the token chosen, or "" when none is.
std::string chosen_name(const std::vector<TokenInfo>& tokens,
                        const std::string& url = k_url,
                        Operation operation = Operation::read,
                        Date today = k_today) {
    Selection selection = select_token(tokens, url, operation, today);
    if (!selection.chosen) {
        return "";
    }
    REQUIRE(*selection.chosen < tokens.size());
    return tokens[*selection.chosen].name;
}

std::vector<std::pair<std::size_t, Rejection>> rejections(const Selection& selection) {
    std::vector<std::pair<std::size_t, Rejection>> result;
    for (const auto& rejected : selection.rejected) {
        result.emplace_back(rejected.index, rejected.reason);
    }
    return result;
}

// --- A straightforward reference implementation of DESIGN §4, for the property test ---

bool reference_covers(const std::string& scope, const std::string& url) {
    // Scopes end in '/'. The feed root without its slash is the feed root.
    if (scope.size() == url.size() + 1 && scope.back() == '/'
        && scope.compare(0, url.size(), url) == 0) {
        return true;
    }
    return url.size() >= scope.size() && url.compare(0, scope.size(), scope) == 0;
}

int reference_rank(Access access) {
    switch (access) {
    case Access::read:
        return 0;
    case Access::read_write:
        return 1;
    case Access::full:
        return 2;
    case Access::unknown:
        return 3;
    }
    return 3;
}

bool reference_allows(Access access, Operation operation) {
    if (access == Access::unknown) {
        return true;
    }
    int needed = operation == Operation::read ? 0 : operation == Operation::write ? 1 : 2;
    return reference_rank(access) >= needed;
}

struct Expected {
    std::optional<std::size_t> chosen;
    std::vector<std::pair<std::size_t, Rejection>> rejected;
};

Expected reference_select(const std::vector<TokenInfo>& tokens,
                          const std::string& url,
                          Operation operation,
                          Date today) {
    Expected expected;
    std::size_t best_length = 0;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const TokenInfo& token = tokens[i];
        std::optional<std::size_t> length;
        for (const auto& scope : token.scopes) {
            if (reference_covers(scope, url) && (!length || scope.size() > *length)) {
                length = scope.size();
            }
        }
        if (!length) {
            continue;
        }
        if (token.disabled) {
            expected.rejected.emplace_back(i, Rejection::disabled);
            continue;
        }
        if (token.expires && *token.expires < today) {
            expected.rejected.emplace_back(i, Rejection::expired);
            continue;
        }
        if (!reference_allows(token.access, operation)) {
            expected.rejected.emplace_back(i, Rejection::insufficient_access);
            continue;
        }
        bool better = false;
        if (!expected.chosen) {
            better = true;
        } else {
            const TokenInfo& best = tokens[*expected.chosen];
            if (*length != best_length) {
                better = *length > best_length;
            } else if (reference_rank(token.access) != reference_rank(best.access)) {
                better = reference_rank(token.access) < reference_rank(best.access);
            } else if (token.created != best.created) {
                better = token.created > best.created;
            } else {
                better = token.name < best.name;
            }
        }
        if (better) {
            expected.chosen = i;
            best_length = *length;
        }
    }
    return expected;
}

constexpr std::array<Access, 4> k_all_access = {
    Access::read, Access::read_write, Access::full, Access::unknown};
constexpr std::array<Operation, 3> k_all_operations = {
    Operation::read, Operation::write, Operation::manage};

} // namespace

// --- Basics ---

TEST_CASE("select_token: an empty token list finds nothing and rejects nothing",
          "[core][selection]") {
    for (Operation operation : k_all_operations) {
        Selection selection = select_token({}, k_url, operation, k_today);
        CHECK_FALSE(selection.chosen.has_value());
        CHECK(selection.rejected.empty());
    }
}

TEST_CASE("select_token: the only covering active token is chosen", "[core][selection]") {
    std::vector<TokenInfo> tokens = {make_token("laptop", {k_feed_scope})};
    Selection selection = select_token(tokens, k_url, Operation::read, k_today);
    REQUIRE(selection.chosen.has_value());
    CHECK(*selection.chosen == 0);
    CHECK(selection.rejected.empty());
}

TEST_CASE("select_token: the feed root URL itself is covered, with or without its slash",
          "[core][selection]") {
    std::vector<TokenInfo> tokens = {make_token("laptop", {k_feed_scope})};
    CHECK(chosen_name(tokens, "https://f.feedz.io/acme/pkgs/") == "laptop");
    CHECK(chosen_name(tokens, "https://f.feedz.io/acme/pkgs") == "laptop");
    CHECK(chosen_name(tokens, "https://f.feedz.io/acme/pkgs/nuget/index.json") == "laptop");
}

// --- Scope ---

TEST_CASE("select_token: the longest covering scope wins over access level and age",
          "[core][selection]") {
    // The host-wide token is read-only (the cheapest level) and newer; the feed token is
    // full access and older. The feed token still wins.
    TokenInfo host = make_token("host", {k_host_scope}, Access::read, 2'000'000'000);
    TokenInfo org = make_token("org", {k_org_scope}, Access::read, 1'900'000'000);
    TokenInfo feed = make_token("feed", {k_feed_scope}, Access::full, 1'000'000'000);
    CHECK(chosen_name({host, org, feed}) == "feed");
    CHECK(chosen_name({feed, org, host}) == "feed");
    CHECK(chosen_name({org, feed, host}) == "feed");
    CHECK(chosen_name({host, org}) == "org");
    CHECK(chosen_name({org, host}) == "org");
    // Unknown access is the least preferred level, but scope comes first.
    feed.access = Access::unknown;
    CHECK(chosen_name({host, org, feed}) == "feed");
}

TEST_CASE("select_token: scope is compared by whole path segments", "[core][selection]") {
    std::vector<TokenInfo> tokens = {make_token("pkgs", {k_feed_scope})};
    CHECK(chosen_name(tokens, "https://f.feedz.io/acme/pkgs2/npm/left-pad").empty());
    CHECK(chosen_name(tokens, "https://f.feedz.io/acme/pkgs2").empty());
    CHECK(chosen_name(tokens, "https://f.feedz.io/acme/pkgsx/").empty());
    CHECK(chosen_name(tokens, "https://f.feedz.io/acme/pk").empty());
    CHECK(chosen_name(tokens, "https://f.feedz.io/acme/").empty());

    std::vector<TokenInfo> both = {make_token("pkgs", {k_feed_scope}),
                                   make_token("pkgs2", {k_sibling_scope})};
    CHECK(chosen_name(both, "https://f.feedz.io/acme/pkgs/npm/x") == "pkgs");
    CHECK(chosen_name(both, "https://f.feedz.io/acme/pkgs2/npm/x") == "pkgs2");
    CHECK(chosen_name(both, "https://f.feedz.io/acme/pkgs") == "pkgs");
    CHECK(chosen_name(both, "https://f.feedz.io/acme/pkgs2") == "pkgs2");
}

TEST_CASE("select_token: tokens whose scope does not cover the URL are neither chosen nor "
          "rejected",
          "[core][selection]") {
    std::vector<TokenInfo> tokens = {
        make_token("sibling", {k_sibling_scope}),
        make_token("other-host", {k_other_host_scope}),
        make_token("other-port", {"https://f.feedz.io:8443/"}),
        make_token("plain-http", {"http://f.feedz.io/"}),
        make_token("other-org", {"https://f.feedz.io/other/"}),
        make_token("deeper", {"https://f.feedz.io/acme/pkgs/nuget/"}),
        disabled(make_token("disabled-elsewhere", {k_other_host_scope})),
        expiring(make_token("expired-elsewhere", {k_sibling_scope}), k_yesterday),
        make_token("no-scopes", {}),
    };
    for (Operation operation : k_all_operations) {
        Selection selection = select_token(tokens, k_url, operation, k_today);
        CHECK_FALSE(selection.chosen.has_value());
        CHECK(selection.rejected.empty());
    }
}

TEST_CASE("select_token: the longest covering scope of a token with several scopes counts",
          "[core][selection]") {
    // "multi" covers the URL through its host scope and its feed scope; the feed scope counts,
    // so it beats a token scoped to the organisation.
    TokenInfo multi = make_token("multi", {k_other_host_scope, k_host_scope, k_feed_scope});
    TokenInfo org = make_token("org", {k_org_scope}, Access::read, 2'000'000'000);
    CHECK(chosen_name({org, multi}) == "multi");
    CHECK(chosen_name({multi, org}) == "multi");

    // When only the host scope covers, the organisation token is longer.
    TokenInfo wide = make_token("wide", {k_sibling_scope, k_host_scope});
    CHECK(chosen_name({wide, org}) == "org");
    CHECK(chosen_name({org, wide}) == "org");

    // The order of scopes inside a token does not matter.
    TokenInfo reversed = make_token("reversed", {k_feed_scope, k_host_scope, k_other_host_scope});
    CHECK(chosen_name({org, reversed}) == "reversed");
    CHECK(chosen_name({reversed, org}) == "reversed");

    // Two tokens whose longest covering scopes are equal tie on scope; the newer one wins.
    TokenInfo feed = make_token("feed", {k_feed_scope}, Access::read, 1'000'000'000);
    multi.created = feed.created + std::chrono::seconds(1);
    CHECK(chosen_name({feed, multi}) == "multi");
    multi.created = feed.created - std::chrono::seconds(1);
    CHECK(chosen_name({feed, multi}) == "feed");
}

// --- Access level ---

TEST_CASE("select_token: among equal scopes the lowest sufficient access level wins",
          "[core][selection]") {
    std::vector<TokenInfo> tokens = {
        make_token("unknown", {k_feed_scope}, Access::unknown, 1'000),
        make_token("full", {k_feed_scope}, Access::full, 2'000),
        make_token("read-write", {k_feed_scope}, Access::read_write, 3'000),
        make_token("read", {k_feed_scope}, Access::read, 4'000),
    };
    // Every order of the four tokens, and newest-first and oldest-first creation times.
    for (bool newest_is_lowest : {true, false}) {
        if (!newest_is_lowest) {
            for (auto& token : tokens) {
                token.created =
                    Timestamp(std::chrono::seconds(10'000)) - token.created.time_since_epoch();
            }
        }
        std::sort(tokens.begin(), tokens.end(), [](const TokenInfo& a, const TokenInfo& b) {
            return a.name < b.name;
        });
        do {
            CHECK(chosen_name(tokens, k_url, Operation::read) == "read");
            CHECK(chosen_name(tokens, k_url, Operation::write) == "read-write");
            CHECK(chosen_name(tokens, k_url, Operation::manage) == "full");
        } while (std::next_permutation(
            tokens.begin(), tokens.end(), [](const TokenInfo& a, const TokenInfo& b) {
                return a.name < b.name;
            }));
    }
}

TEST_CASE("select_token: a token of unknown access is used when no known level suffices",
          "[core][selection]") {
    std::vector<TokenInfo> tokens = {
        make_token("read", {k_feed_scope}, Access::read),
        make_token("unknown", {k_feed_scope}, Access::unknown),
    };
    CHECK(chosen_name(tokens, k_url, Operation::read) == "read");
    CHECK(chosen_name(tokens, k_url, Operation::write) == "unknown");
    CHECK(chosen_name(tokens, k_url, Operation::manage) == "unknown");
    tokens.push_back(make_token("read-write", {k_feed_scope}, Access::read_write));
    CHECK(chosen_name(tokens, k_url, Operation::write) == "read-write");
    CHECK(chosen_name(tokens, k_url, Operation::manage) == "unknown");
}

TEST_CASE("select_token: a token with too little access is rejected as insufficient_access",
          "[core][selection]") {
    std::vector<TokenInfo> tokens = {
        make_token("read", {k_feed_scope}, Access::read),
        make_token("read-write", {k_feed_scope}, Access::read_write),
        make_token("full", {k_feed_scope}, Access::full),
    };
    Selection write = select_token(tokens, k_url, Operation::write, k_today);
    REQUIRE(write.chosen == std::optional<std::size_t>(1));
    CHECK(rejections(write)
          == std::vector<std::pair<std::size_t, Rejection>>{{0, Rejection::insufficient_access}});

    Selection manage = select_token(tokens, k_url, Operation::manage, k_today);
    REQUIRE(manage.chosen == std::optional<std::size_t>(2));
    CHECK(rejections(manage)
          == std::vector<std::pair<std::size_t, Rejection>>{{0, Rejection::insufficient_access},
                                                            {1, Rejection::insufficient_access}});

    Selection read = select_token(tokens, k_url, Operation::read, k_today);
    REQUIRE(read.chosen == std::optional<std::size_t>(0));
    CHECK(read.rejected.empty());
}

TEST_CASE("select_token: a narrower token with too little access gives way to a wider one that "
          "suffices",
          "[core][selection]") {
    std::vector<TokenInfo> tokens = {
        make_token("feed-read", {k_feed_scope}, Access::read),
        make_token("host-write", {k_host_scope}, Access::read_write),
    };
    Selection selection = select_token(tokens, k_url, Operation::write, k_today);
    REQUIRE(selection.chosen == std::optional<std::size_t>(1));
    CHECK(rejections(selection)
          == std::vector<std::pair<std::size_t, Rejection>>{{0, Rejection::insufficient_access}});
    // For reading, the narrower one wins again.
    CHECK(chosen_name(tokens, k_url, Operation::read) == "feed-read");
}

TEST_CASE("select_token: nothing suffices for write or manage with only read tokens",
          "[core][selection]") {
    std::vector<TokenInfo> tokens = {
        make_token("a", {k_feed_scope}, Access::read),
        make_token("b", {k_host_scope}, Access::read),
    };
    for (Operation operation : {Operation::write, Operation::manage}) {
        Selection selection = select_token(tokens, k_url, operation, k_today);
        CHECK_FALSE(selection.chosen.has_value());
        CHECK(rejections(selection)
              == std::vector<std::pair<std::size_t, Rejection>>{
                  {0, Rejection::insufficient_access}, {1, Rejection::insufficient_access}});
    }
}

// --- Age and name ---

TEST_CASE("select_token: among equal scope and level the newest token wins", "[core][selection]") {
    TokenInfo old_token = make_token("old", {k_feed_scope}, Access::read, 1'000);
    TokenInfo new_token = make_token("new", {k_feed_scope}, Access::read, 2'000);
    TokenInfo middle = make_token("middle", {k_feed_scope}, Access::read, 1'500);
    CHECK(chosen_name({old_token, new_token, middle}) == "new");
    CHECK(chosen_name({new_token, middle, old_token}) == "new");
    CHECK(chosen_name({middle, old_token, new_token}) == "new");
    // One second apart is enough.
    middle.created = new_token.created + std::chrono::seconds(1);
    CHECK(chosen_name({old_token, new_token, middle}) == "middle");
}

TEST_CASE("select_token: a complete tie is broken by name, whatever the order",
          "[core][selection]") {
    std::vector<TokenInfo> tokens = {
        make_token("charlie", {k_feed_scope}),
        make_token("alpha", {k_feed_scope}),
        make_token("bravo", {k_feed_scope}),
    };
    std::sort(tokens.begin(), tokens.end(), [](const TokenInfo& a, const TokenInfo& b) {
        return a.name < b.name;
    });
    do {
        CHECK(chosen_name(tokens) == "alpha");
    } while (std::next_permutation(
        tokens.begin(), tokens.end(), [](const TokenInfo& a, const TokenInfo& b) {
            return a.name < b.name;
        }));
}

// --- State ---

TEST_CASE("select_token: a disabled token is never chosen and is rejected as disabled",
          "[core][selection]") {
    std::vector<TokenInfo> tokens = {disabled(make_token("off", {k_feed_scope}, Access::full))};
    for (Operation operation : k_all_operations) {
        Selection selection = select_token(tokens, k_url, operation, k_today);
        CHECK_FALSE(selection.chosen.has_value());
        CHECK(rejections(selection)
              == std::vector<std::pair<std::size_t, Rejection>>{{0, Rejection::disabled}});
    }
    // A disabled token with the longest scope gives way to a wider enabled one.
    tokens.push_back(make_token("host", {k_host_scope}));
    Selection selection = select_token(tokens, k_url, Operation::read, k_today);
    CHECK(selection.chosen == std::optional<std::size_t>(1));
    CHECK(rejections(selection)
          == std::vector<std::pair<std::size_t, Rejection>>{{0, Rejection::disabled}});
}

TEST_CASE("select_token: an expired token is never chosen and is rejected as expired",
          "[core][selection]") {
    std::vector<TokenInfo> tokens = {
        expiring(make_token("expired", {k_feed_scope}, Access::read, 9'000), k_yesterday),
        make_token("host", {k_host_scope}, Access::read, 1'000),
    };
    Selection selection = select_token(tokens, k_url, Operation::read, k_today);
    CHECK(selection.chosen == std::optional<std::size_t>(1));
    CHECK(rejections(selection)
          == std::vector<std::pair<std::size_t, Rejection>>{{0, Rejection::expired}});

    tokens.pop_back();
    Selection none = select_token(tokens, k_url, Operation::read, k_today);
    CHECK_FALSE(none.chosen.has_value());
    CHECK(rejections(none)
          == std::vector<std::pair<std::size_t, Rejection>>{{0, Rejection::expired}});
}

TEST_CASE("select_token: a token is served on its expiry day and not the day after",
          "[core][selection]") {
    std::vector<TokenInfo> tokens = {expiring(make_token("t", {k_feed_scope}), k_today)};
    CHECK(chosen_name(tokens, k_url, Operation::read, k_today) == "t");
    CHECK(chosen_name(tokens, k_url, Operation::read, k_yesterday) == "t");
    CHECK(chosen_name(tokens, k_url, Operation::read, k_today + std::chrono::days(1)).empty());
    tokens[0].expires = k_next_year;
    CHECK(chosen_name(tokens) == "t");
}

TEST_CASE("select_token: a token both disabled and expired is rejected as disabled",
          "[core][selection]") {
    std::vector<TokenInfo> tokens = {
        disabled(expiring(make_token("both", {k_feed_scope}), k_yesterday))};
    Selection selection = select_token(tokens, k_url, Operation::read, k_today);
    CHECK_FALSE(selection.chosen.has_value());
    CHECK(rejections(selection)
          == std::vector<std::pair<std::size_t, Rejection>>{{0, Rejection::disabled}});
}

TEST_CASE("select_token: state is checked before access", "[core][selection]") {
    // A disabled read token asked for write is rejected as disabled, not insufficient_access.
    std::vector<TokenInfo> tokens = {
        disabled(make_token("off", {k_feed_scope}, Access::read)),
        expiring(make_token("old", {k_feed_scope}, Access::read), k_yesterday),
    };
    Selection selection = select_token(tokens, k_url, Operation::write, k_today);
    CHECK(rejections(selection)
          == std::vector<std::pair<std::size_t, Rejection>>{{0, Rejection::disabled},
                                                            {1, Rejection::expired}});
}

TEST_CASE("select_token: rejected tokens are listed by index in input order with the chosen one "
          "absent",
          "[core][selection]") {
    std::vector<TokenInfo> tokens = {
        make_token("elsewhere", {k_other_host_scope}),
        expiring(make_token("expired", {k_feed_scope}), k_yesterday),
        make_token("good", {k_org_scope}, Access::read_write),
        make_token("weak", {k_feed_scope}, Access::read),
        disabled(make_token("off", {k_host_scope}, Access::full)),
        make_token("sibling", {k_sibling_scope}, Access::full),
    };
    Selection selection = select_token(tokens, k_url, Operation::write, k_today);
    REQUIRE(selection.chosen == std::optional<std::size_t>(2));
    CHECK(rejections(selection)
          == std::vector<std::pair<std::size_t, Rejection>>{
              {1, Rejection::expired},
              {3, Rejection::insufficient_access},
              {4, Rejection::disabled},
          });
}

// --- Properties over many generated combinations ---

namespace {

// Checks select_token() against reference_select() for `operation` on every combination of
// three tokens.
void check_against_reference(Operation operation) {
    // Each token: one of 4 access levels x 4 states x 5 scope sets. Creation times and names
    // vary with the combination so that ties on every key occur.
    enum class State { active, disabled, expired, expires_today };
    const std::array<State, 4> states = {
        State::active, State::disabled, State::expired, State::expires_today};
    const std::array<std::vector<std::string>, 5> scope_sets = {{
        {k_sibling_scope, k_other_host_scope}, // covers nothing
        {k_host_scope},
        {k_org_scope},
        {k_feed_scope},
        {k_sibling_scope, k_host_scope, k_feed_scope},
    }};
    const std::array<std::array<const char*, 3>, 6> name_orders = {{
        {"a", "b", "c"},
        {"a", "c", "b"},
        {"b", "a", "c"},
        {"b", "c", "a"},
        {"c", "a", "b"},
        {"c", "b", "a"},
    }};
    const std::size_t per_token = k_all_access.size() * states.size() * scope_sets.size();

    // Sets `info` to token `code` at `position` in `combination`, in place: the loop below runs
    // half a million times, so it copies the scope strings only when they change.
    std::array<std::size_t, 3> current_scopes = {
        scope_sets.size(), scope_sets.size(), scope_sets.size()};
    auto set =
        [&](TokenInfo& info, std::size_t code, std::size_t position, std::size_t combination) {
            std::size_t access_index = code % k_all_access.size();
            std::size_t state_index = (code / k_all_access.size()) % states.size();
            std::size_t scope_index = code / (k_all_access.size() * states.size());
            info.name = name_orders[combination % 6][position];
            if (current_scopes[position] != scope_index) {
                info.scopes = scope_sets[scope_index];
                current_scopes[position] = scope_index;
            }
            info.access = k_all_access[access_index];
            // Two creation times: ties and strict order both happen.
            info.created = Timestamp(std::chrono::seconds((combination >> position) & 1U));
            info.disabled = states[state_index] == State::disabled;
            info.expires.reset();
            if (states[state_index] == State::expired) {
                info.expires = k_yesterday;
            } else if (states[state_index] == State::expires_today) {
                info.expires = k_today;
            }
        };
    auto same = [](const Selection& actual, const Expected& expected) {
        if (actual.chosen != expected.chosen
            || actual.rejected.size() != expected.rejected.size()) {
            return false;
        }
        for (std::size_t i = 0; i < actual.rejected.size(); ++i) {
            if (actual.rejected[i].index != expected.rejected[i].first
                || actual.rejected[i].reason != expected.rejected[i].second) {
                return false;
            }
        }
        return true;
    };

    std::size_t checked = 0;
    std::size_t chose_something = 0;
    std::size_t rejected_something = 0;
    std::size_t mismatches = 0;
    std::vector<TokenInfo> tokens(3);
    for (std::size_t a = 0; a < per_token; ++a) {
        for (std::size_t b = 0; b < per_token; ++b) {
            for (std::size_t c = 0; c < per_token; ++c) {
                std::size_t combination = (a * per_token + b) * per_token + c;
                set(tokens[0], a, 0, combination);
                set(tokens[1], b, 1, combination);
                set(tokens[2], c, 2, combination);
                {
                    Selection actual = select_token(tokens, k_url, operation, k_today);
                    Expected expected = reference_select(tokens, k_url, operation, k_today);
                    ++checked;
                    chose_something += actual.chosen ? 1U : 0U;
                    rejected_something += actual.rejected.empty() ? 0U : 1U;
                    if (!same(actual, expected)) {
                        ++mismatches;
                        if (mismatches <= 5) {
                            UNSCOPED_INFO("combination " << a << "/" << b << "/" << c);
                        }
                    }
                }
            }
        }
    }
    CHECK(mismatches == 0);
    CHECK(checked == per_token * per_token * per_token);
    // The generator exercises both outcomes.
    CHECK(chose_something > checked / 4);
    CHECK(chose_something < checked);
    CHECK(rejected_something > checked / 4);
}

} // namespace

TEST_CASE("select_token: agrees with a reference implementation for read on every combination "
          "of three tokens",
          "[core][selection]") {
    check_against_reference(Operation::read);
}

TEST_CASE("select_token: agrees with a reference implementation for write on every combination "
          "of three tokens",
          "[core][selection]") {
    check_against_reference(Operation::write);
}

TEST_CASE("select_token: agrees with a reference implementation for manage on every "
          "combination of three tokens",
          "[core][selection]") {
    check_against_reference(Operation::manage);
}

TEST_CASE("select_token: the chosen token does not depend on the order of the tokens",
          "[core][selection]") {
    std::vector<TokenInfo> tokens = {
        make_token("host-full", {k_host_scope}, Access::full, 5'000),
        make_token("org-read", {k_org_scope}, Access::read, 4'000),
        make_token("org-rw", {k_org_scope}, Access::read_write, 6'000),
        make_token("org-rw-old", {k_org_scope}, Access::read_write, 1'000),
        make_token("org-unknown", {k_org_scope}, Access::unknown, 9'000),
        disabled(make_token("feed-off", {k_feed_scope}, Access::full)),
        expiring(make_token("feed-expired", {k_feed_scope}, Access::full), k_yesterday),
    };
    auto by_name = [](const TokenInfo& a, const TokenInfo& b) {
        return a.name < b.name;
    };
    std::sort(tokens.begin(), tokens.end(), by_name);
    std::size_t permutations = 0;
    do {
        ++permutations;
        if (chosen_name(tokens, k_url, Operation::read) != "org-read"
            || chosen_name(tokens, k_url, Operation::write) != "org-rw"
            || chosen_name(tokens, k_url, Operation::manage) != "org-unknown") {
            FAIL("order-dependent result at permutation " << permutations);
        }
        if (select_token(tokens, k_url, Operation::manage, k_today).rejected.size() != 5) {
            FAIL("wrong rejections at permutation " << permutations);
        }
    } while (std::next_permutation(tokens.begin(), tokens.end(), by_name));
    CHECK(permutations == 5040);
}

TEST_CASE("select_token: a chosen token always covers the URL, is active and suffices",
          "[core][selection]") {
    const std::vector<std::string> urls = {
        k_url,
        "https://f.feedz.io/acme/pkgs",
        "https://f.feedz.io/acme/pkgs2/npm/x",
        "https://f.feedz.io/acme/",
        "https://f.feedz.io/",
        "https://g.feedz.io/acme/pkgs/",
        "https://f.feedz.io:8443/acme/pkgs/",
    };
    std::vector<TokenInfo> tokens;
    std::int64_t created = 0;
    for (const auto& scope : {k_host_scope, k_org_scope, k_feed_scope, k_sibling_scope}) {
        for (Access access : k_all_access) {
            tokens.push_back(
                make_token("t" + std::to_string(tokens.size()), {scope}, access, created++ % 3));
            tokens.push_back(
                disabled(make_token("d" + std::to_string(tokens.size()), {scope}, access)));
            tokens.push_back(expiring(
                make_token("e" + std::to_string(tokens.size()), {scope}, access), k_yesterday));
        }
    }
    for (const auto& url : urls) {
        for (Operation operation : k_all_operations) {
            Selection selection = select_token(tokens, url, operation, k_today);
            Expected expected = reference_select(tokens, url, operation, k_today);
            INFO("url " << url << " operation " << to_string(operation));
            CHECK(selection.chosen == expected.chosen);
            CHECK(rejections(selection) == expected.rejected);
            if (selection.chosen) {
                const TokenInfo& chosen = tokens[*selection.chosen];
                CHECK(token_state(chosen, k_today) == TokenState::active);
                CHECK(access_allows(chosen.access, operation));
                CHECK(reference_covers(chosen.scopes.front(), url));
            }
        }
    }
}
