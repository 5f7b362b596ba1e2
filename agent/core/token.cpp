// SPDX-License-Identifier: MIT
#include "token.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <ctime>

namespace feedz {

const char* to_string(Access access) {
    switch (access) {
    case Access::read:
        return "read";
    case Access::read_write:
        return "read-write";
    case Access::full:
        return "full";
    case Access::unknown:
        return "unknown";
    }
    return "unknown";
}

const char* feedz_name(Access access) {
    switch (access) {
    case Access::read:
        return "Read";
    case Access::read_write:
        return "Read/Write";
    case Access::full:
        return "Full API";
    case Access::unknown:
        break;
    }
    return "unknown";
}

const char* to_string(Operation operation) {
    switch (operation) {
    case Operation::read:
        return "read";
    case Operation::write:
        return "write";
    case Operation::manage:
        return "manage";
    }
    return "read";
}

std::optional<Access> access_from_string(std::string_view text) {
    if (text == "read") {
        return Access::read;
    }
    if (text == "read-write" || text == "readwrite" || text == "read_write") {
        return Access::read_write;
    }
    if (text == "full") {
        return Access::full;
    }
    if (text == "unknown") {
        return Access::unknown;
    }
    return std::nullopt;
}

std::optional<Operation> operation_from_string(std::string_view text) {
    if (text == "read") {
        return Operation::read;
    }
    if (text == "write") {
        return Operation::write;
    }
    if (text == "manage") {
        return Operation::manage;
    }
    return std::nullopt;
}

bool access_allows(Access access, Operation operation) {
    switch (operation) {
    case Operation::read:
        return true;
    case Operation::write:
        return access != Access::read;
    case Operation::manage:
        return access == Access::full || access == Access::unknown;
    }
    return false;
}

Access least_access_for(Operation operation) {
    switch (operation) {
    case Operation::read:
        return Access::read;
    case Operation::write:
        return Access::read_write;
    case Operation::manage:
        return Access::full;
    }
    return Access::full;
}

namespace {

template <typename T>
bool parse_digits(std::string_view text, T& value) {
    if (text.empty() || !std::all_of(text.begin(), text.end(), [](unsigned char c) {
            return std::isdigit(c);
        })) {
        return false;
    }
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc() && end == text.data() + text.size();
}

} // namespace

std::optional<Date> parse_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
        return std::nullopt;
    }
    int year = 0;
    unsigned month = 0;
    unsigned day = 0;
    if (!parse_digits(text.substr(0, 4), year) || !parse_digits(text.substr(5, 2), month)
        || !parse_digits(text.substr(8, 2), day)) {
        return std::nullopt;
    }
    std::chrono::year_month_day ymd{
        std::chrono::year(year), std::chrono::month(month), std::chrono::day(day)};
    if (!ymd.ok()) {
        return std::nullopt;
    }
    return Date(ymd);
}

std::string format_date(Date date) {
    std::chrono::year_month_day ymd(date);
    char buffer[16];
    std::snprintf(buffer,
                  sizeof(buffer),
                  "%04d-%02u-%02u",
                  static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
    return buffer;
}

Date today_utc() {
    return std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
}

std::string format_timestamp(Timestamp time) {
    std::time_t seconds = std::chrono::system_clock::to_time_t(time);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[32];
    std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buffer;
}

std::optional<Timestamp> parse_timestamp(std::string_view text) {
    // "YYYY-MM-DDTHH:MM:SSZ", what format_timestamp() writes.
    if (text.size() != 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':'
        || text[19] != 'Z') {
        return std::nullopt;
    }
    auto date = parse_date(text.substr(0, 10));
    int hours = 0;
    int minutes = 0;
    int seconds = 0;
    if (!date || !parse_digits(text.substr(11, 2), hours)
        || !parse_digits(text.substr(14, 2), minutes) || !parse_digits(text.substr(17, 2), seconds)
        || hours > 23 || minutes > 59 || seconds > 60) {
        return std::nullopt;
    }
    return Timestamp(*date) + std::chrono::hours(hours) + std::chrono::minutes(minutes)
           + std::chrono::seconds(seconds);
}

std::string TokenInfo::display() const {
    return prefix + "\u2026";
}

TokenState token_state(const TokenInfo& info, Date today) {
    if (info.disabled) {
        return TokenState::disabled;
    }
    if (info.expires && *info.expires < today) {
        return TokenState::expired;
    }
    return TokenState::active;
}

const char* to_string(TokenState state) {
    switch (state) {
    case TokenState::active:
        return "active";
    case TokenState::disabled:
        return "disabled";
    case TokenState::expired:
        return "expired";
    }
    return "active";
}

std::optional<std::int64_t> days_until_expiry(const TokenInfo& info, Date today) {
    if (!info.expires) {
        return std::nullopt;
    }
    return (*info.expires - today).count();
}

Result<void> validate_token(std::string_view token) {
    if (token.empty()) {
        return make_error(Errc::invalid_argument, "the token is empty");
    }
    // The first 7 characters are shown everywhere; a short token would be shown almost whole.
    if (token.size() < k_min_token_length) {
        return make_error(Errc::invalid_argument,
                          "the token is only " + std::to_string(token.size())
                              + " characters long; a Feedz personal access token is much longer "
                                "(it starts with 'T-'): copy the whole token");
    }
    if (token.size() > k_max_token_length) {
        return make_error(Errc::invalid_argument,
                          "the token is longer than " + std::to_string(k_max_token_length)
                              + " characters; is this really a Feedz personal access token?");
    }
    for (char raw : token) {
        auto c = static_cast<unsigned char>(raw);
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            return make_error(Errc::invalid_argument,
                              "the token contains whitespace; copy it again without spaces or "
                              "line breaks");
        }
        if (c < 0x21 || c > 0x7e) {
            return make_error(Errc::invalid_argument,
                              "the token contains a control or non-ASCII character; copy it "
                              "again from Feedz");
        }
    }
    return {};
}

Result<void> validate_token_name(std::string_view name) {
    bool ok =
        !name.empty() && name.size() <= 64 && std::isalnum(static_cast<unsigned char>(name[0]))
        && std::all_of(name.begin(), name.end(), [](unsigned char c) {
               return std::isalnum(c) || c == '.' || c == '_' || c == '@' || c == '-' || c == '/';
           });
    if (!ok) {
        return make_error(Errc::invalid_argument,
                          "bad token name '" + std::string(name)
                              + "': use 1-64 letters, digits, '.', '_', '@', '/' or '-', "
                                "starting with a letter or digit");
    }
    return {};
}

std::string token_prefix(std::string_view token) {
    return std::string(token.substr(0, k_token_prefix_length));
}

} // namespace feedz
