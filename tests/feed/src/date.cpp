// SPDX-License-Identifier: MIT
#include "date.hpp"

#include <cstdio>
#include <ctime>

namespace feed {

namespace {

std::optional<int> parse_digits(std::string_view text) {
    int value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        value = value * 10 + (c - '0');
    }
    return value;
}

} // namespace

std::optional<Date> parse_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
        return std::nullopt;
    }
    auto year = parse_digits(text.substr(0, 4));
    auto month = parse_digits(text.substr(5, 2));
    auto day = parse_digits(text.substr(8, 2));
    if (!year || !month || !day) {
        return std::nullopt;
    }
    Date date{std::chrono::year{*year},
              std::chrono::month{static_cast<unsigned>(*month)},
              std::chrono::day{static_cast<unsigned>(*day)}};
    if (!date.ok()) {
        return std::nullopt;
    }
    return date;
}

std::string format_date(Date date) {
    char buffer[16];
    std::snprintf(buffer,
                  sizeof(buffer),
                  "%04d-%02u-%02u",
                  static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()),
                  static_cast<unsigned>(date.day()));
    return buffer;
}

Date utc_date(std::chrono::system_clock::time_point when) {
    return Date{std::chrono::floor<std::chrono::days>(when)};
}

bool is_expired(const std::optional<Date>& expires, std::chrono::system_clock::time_point now) {
    if (!expires) {
        return false;
    }
    return std::chrono::sys_days{utc_date(now)} > std::chrono::sys_days{*expires};
}

std::string format_timestamp(std::chrono::system_clock::time_point when) {
    std::time_t seconds = std::chrono::system_clock::to_time_t(when);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[32];
    std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buffer;
}

std::string format_timestamp_ms(std::chrono::system_clock::time_point when) {
    auto whole_seconds = std::chrono::floor<std::chrono::seconds>(when);
    auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(when - whole_seconds).count();
    auto text = format_timestamp(whole_seconds);
    char fraction[8];
    std::snprintf(fraction, sizeof(fraction), ".%03dZ", static_cast<int>(millis));
    text.replace(text.size() - 1, 1, fraction);
    return text;
}

} // namespace feed
