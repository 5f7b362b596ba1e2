// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace feed {

// A calendar date in UTC: the day a token expires.
using Date = std::chrono::year_month_day;

// Strictly YYYY-MM-DD and a real calendar day; anything else is nullopt.
std::optional<Date> parse_date(std::string_view text);
std::string format_date(Date date);

Date utc_date(std::chrono::system_clock::time_point when);

// A token that expires on a day is valid through the end of that day (UTC).
bool is_expired(const std::optional<Date>& expires, std::chrono::system_clock::time_point now);

// 2026-11-30T13:44:05Z
std::string format_timestamp(std::chrono::system_clock::time_point when);
// The same with milliseconds ("2026-05-10T01:01:01.250Z"), for the request log: a client's
// requests often fall in the same second.
std::string format_timestamp_ms(std::chrono::system_clock::time_point when);

} // namespace feed
