// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace feed {

enum class AuthScheme { none, basic, bearer, api_key, nuget_api_key, unsupported };

// "none", "basic", "bearer", "api-key" (feedz-api-key header), "nuget-api-key"
// (X-NuGet-ApiKey header) or "unsupported": what the request log records.
std::string_view to_string(AuthScheme scheme);

// The headers that may carry a token.
struct AuthHeaders {
    std::optional<std::string> authorization;
    std::optional<std::string> feedz_api_key;
    std::optional<std::string> nuget_api_key;
};

// One way the request offered a token.
struct Credential {
    AuthScheme scheme = AuthScheme::none;
    std::string username;
    std::string token;
};

// How the request asked to be authenticated, before any token is looked up.
struct PresentedAuth {
    // Tokens to try, in order: Basic password, feedz-api-key, X-NuGet-ApiKey.
    std::vector<Credential> candidates;
    // Set when the request must be refused whatever else it carries: Bearer, an unknown scheme,
    // malformed Basic, an empty username or an empty token. Names the problem, never the token.
    std::optional<std::string> refusal;
    // The scheme and username of the refused Authorization header, for the log.
    AuthScheme refused_scheme = AuthScheme::none;
    std::string refused_username;
    std::string refused_token;
};

// Pure parsing of the headers; accept_nuget_api_key is true on NuGet endpoints.
PresentedAuth parse_auth_headers(const AuthHeaders& headers, bool accept_nuget_api_key);

} // namespace feed
