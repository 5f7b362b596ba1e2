// SPDX-License-Identifier: MIT
#pragma once

#include <agent/util/result.hpp>
#include <agent/util/secret_string.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace feedz {

// Feedz access levels, lowest first. `unknown` is a token whose level the user did not give.
enum class Access { read, read_write, full, unknown };

// What a client is about to do with a feed.
enum class Operation { read, write, manage };

const char* to_string(Access access);

// The level as Feedz names it in messages: "Read", "Read/Write", "Full API", "unknown".
const char* feedz_name(Access access);

const char* to_string(Operation operation);

// "read", "read-write" (or "readwrite"), "full", "unknown"; nullopt for anything else.
std::optional<Access> access_from_string(std::string_view text);

std::optional<Operation> operation_from_string(std::string_view text);

// True when a token of level `access` may perform `operation` (unknown counts as sufficient).
bool access_allows(Access access, Operation operation);

// The lowest level that allows `operation`, for messages ("publishing needs read-write").
Access least_access_for(Operation operation);

using Date = std::chrono::sys_days;
using Timestamp = std::chrono::sys_seconds;

// Parses "YYYY-MM-DD" (a real calendar date).
std::optional<Date> parse_date(std::string_view text);

std::string format_date(Date date);

// Today in UTC: expiry dates are whole UTC days.
Date today_utc();

std::string format_timestamp(Timestamp time);

std::optional<Timestamp> parse_timestamp(std::string_view text);

// Everything about a token except the token: safe to list, log and put in --json.
struct TokenInfo {
    std::string name;
    std::string prefix;              // the first 7 characters, the way Feedz shows a token
    std::vector<std::string> scopes; // normalised URLs ending in '/': feed roots or origins
    Access access = Access::unknown;
    std::optional<Date> expires; // usable through this UTC day
    Timestamp created{};
    bool disabled = false;
    std::string fingerprint; // see fingerprint(); filled in by the agent, never stored

    // "T-abc12…"
    std::string display() const;
};

// A token and its metadata, as the stores hold it.
struct StoredToken {
    TokenInfo info;
    SecretString secret;
};

// The state a token is in on `today`.
enum class TokenState { active, disabled, expired };

TokenState token_state(const TokenInfo& info, Date today);

const char* to_string(TokenState state);

// Days until expiry (0 = expires today), or nullopt when the token has no expiry.
std::optional<std::int64_t> days_until_expiry(const TokenInfo& info, Date today);

// Within this many days of expiry `list` and the shims warn.
inline constexpr int k_expiry_warning_days = 7;

// Length of the prefix that identifies a token, as Feedz shows it.
inline constexpr std::size_t k_token_prefix_length = 7;

// Shortest token accepted: its 7-character prefix must not give most of it away.
inline constexpr std::size_t k_min_token_length = 16;

// Longest token accepted (Feedz tokens are ~45 characters).
inline constexpr std::size_t k_max_token_length = 1024;

// A token is printable ASCII without spaces: it travels in HTTP Basic auth and config files.
Result<void> validate_token(std::string_view token);

// Token names: 1-64 of [A-Za-z0-9._@/-], starting with a letter or digit ("acme/pkgs").
Result<void> validate_token_name(std::string_view name);

std::string token_prefix(std::string_view token);

} // namespace feedz
