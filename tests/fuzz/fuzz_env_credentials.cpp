// SPDX-License-Identifier: MIT
// FEEDZ_CREDENTIALS and FEEDZ_PAT, as CI sets them. Input: FEEDZ_PAT, a newline, then
// FEEDZ_CREDENTIALS; every "@@" in either stands for a token the test knows. Beyond not
// crashing: an error message never contains that token.
#include "fuzz_support.hpp"
#include <agent/core/env_credentials.hpp>

namespace {

constexpr std::string_view k_token = "T-fuzzSECRETq9Zx7Vb2Kp9Lm3Nz4";

std::string with_tokens(std::string text) {
    for (auto at = text.find("@@"); at != std::string::npos; at = text.find("@@", at)) {
        text.replace(at, 2, k_token);
        at += k_token.size();
    }
    return text;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto input = feedz::fuzz::as_text(data, size);
    const auto newline = input.find('\n');
    std::optional<std::string> pat;
    std::string credentials;
    if (newline == std::string_view::npos) {
        credentials = with_tokens(std::string(input));
    } else {
        if (newline > 0) {
            pat = with_tokens(std::string(input.substr(0, newline)));
        }
        credentials = with_tokens(std::string(input.substr(newline + 1)));
    }
    auto tokens = feedz::parse_env_credentials(pat, credentials);
    if (!tokens) {
        FUZZ_REQUIRE(tokens.error().message.find(k_token) == std::string::npos);
        // Nor any 12 characters of it.
        FUZZ_REQUIRE(tokens.error().message.find(k_token.substr(7, 12)) == std::string::npos);
        return 0;
    }
    for (const auto& token : tokens->infos()) {
        FUZZ_REQUIRE(tokens->secret(token.name) != nullptr);
    }
    return 0;
}
