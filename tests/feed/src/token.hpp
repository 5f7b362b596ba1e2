// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace feed {

// Feedz tokens look like "T-" followed by random characters; Feedz shows only the first 7.
constexpr std::string_view k_token_marker = "T-";
constexpr std::size_t k_token_random_chars = 43;
constexpr std::size_t k_token_prefix_length = 7;

// "T-" + k_token_random_chars characters from [A-Za-z0-9], drawn from OpenSSL's RNG.
std::string generate_token();

// The first k_token_prefix_length characters: all that is ever shown or logged of a token.
std::string token_prefix(std::string_view token);

// Lower-case hex SHA-256; tokens are stored only as this.
std::string sha256_hex(std::string_view data);

// Lower-case hex SHA-1 (npm's dist.shasum).
std::string sha1_hex(std::string_view data);

// "sha512-<base64>" (npm's dist.integrity).
std::string sha512_integrity(std::string_view data);

} // namespace feed
