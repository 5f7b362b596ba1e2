// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace feed {

// Strict standard base64 (padding required, no whitespace); nullopt if the text is not that.
std::optional<std::string> decode_base64(std::string_view text);

std::string encode_base64(std::string_view data);

} // namespace feed
